"""`python -m tospolicy.action`: the check step of action.yml."""
import sys

from tospolicy.action.steps import main

sys.exit(main())

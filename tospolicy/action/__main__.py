"""`python -m tospolicy.action`: the check step of action.yml."""
import sys

from tospolicy.action.steps import main
from tospolicy.support.collector import one_shot_run

one_shot_run()  # the step ends once its files are checked (support/collector.py)
sys.exit(main())

"""The command line: `tospolicy COMMAND`, one module per command group."""
from tospolicy.cli.main import main

__all__ = ["main"]

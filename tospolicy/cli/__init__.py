"""The command line: `tospolicy COMMAND`, one module per command (main.py holds the group)."""

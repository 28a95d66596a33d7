"""Reporters turn a check's findings into one output format each."""

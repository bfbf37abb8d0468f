"""Fault drills against a stack of our own: ``python -m chaos [--short]``."""

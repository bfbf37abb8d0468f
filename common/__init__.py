"""Pieces every component shares: settings from the environment, JSON logs, schema."""

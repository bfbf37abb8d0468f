"""Run the whole system natively under supervisord: ``python -m stack up``."""

"""The Celery worker that records votes in MySQL.

The app is built in ``tasks.app`` and loaded by ``tasks.worker``; this
package itself imports nothing, so ``python -m tasks`` can prepare the
metrics directory before any metric exists.
"""

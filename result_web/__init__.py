"""result_web: live results over Socket.IO.

``create_app`` lives in ``result_web.app`` so that importing this package
(gunicorn's config does) loads nothing before gevent patches the stdlib.
"""

"""Production server settings; every value can be overridden from the environment."""

import os

bind = os.environ.get("WAYPOINT_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WAYPOINT_WORKERS", str(os.cpu_count() or 2)))
wsgi_app = "waypoint.config.wsgi:application"
pythonpath = "src"
accesslog = os.environ.get("WAYPOINT_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("WAYPOINT_LOG_LEVEL", "warning").lower()
timeout = 60

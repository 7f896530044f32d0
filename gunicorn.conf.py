"""Production server settings; every value can be overridden from the environment."""

import os

from gunicorn.http import wsgi

bind = os.environ.get("WAYPOINT_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WAYPOINT_WORKERS", str(os.cpu_count() or 2)))
wsgi_app = "waypoint.config.wsgi:application"
pythonpath = "src"
accesslog = os.environ.get("WAYPOINT_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("WAYPOINT_LOG_LEVEL", "warning").lower()
timeout = 60

# gunicorn writes "Server: gunicorn" on every response and has no setting to leave it out
# (benoitc/gunicorn#825: the maintainers point to the reverse proxy). The header only tells a
# scanner what to try, so the lines gunicorn writes itself are filtered here.
# tests/config/test_gunicorn_headers.py starts gunicorn and reads the headers, so a gunicorn
# release that changes how it writes them fails that test rather than bringing the header back.
_default_headers = wsgi.Response.default_headers


def _without_server_header(response: wsgi.Response) -> list[str]:
    return [h for h in _default_headers(response) if not h.lower().startswith("server:")]


wsgi.Response.default_headers = _without_server_header

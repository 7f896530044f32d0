import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypoint.config.settings")
application = get_wsgi_application()

# Everything imported so far lives for the life of the process; moving it out of the collector's
# reach shortens garbage-collection pauses, which showed as tail latency on list pages.
gc.freeze()

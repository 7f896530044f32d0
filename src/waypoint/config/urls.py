from django.contrib import admin
from django.urls import include, path

from waypoint.config.api import api
from waypoint.triage import health_views

urlpatterns = [
    # Probes for load balancers and monitoring: no session, no patient data (triage/health_views).
    path("health/live", health_views.live, name="health_live"),
    path("health/ready", health_views.ready, name="health_ready"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("waypoint.accounts.urls")),
    path("", include("waypoint.access.urls")),
    path("", include("waypoint.careteam.urls")),
    path("", include("waypoint.registry.urls")),
    path("", include("waypoint.triage.urls")),
    path("", include("waypoint.treatment.urls")),
    path("", include("waypoint.assessments.urls")),
    path("", include("waypoint.support.urls")),
    path("", include("waypoint.timeline.urls")),
    path("", include("waypoint.standards.urls")),
    path("", include("waypoint.reports.urls")),
    path("", include("waypoint.notifications.urls")),
    path("", include("waypoint.fhir.urls")),
    path("", include("waypoint.experience.urls")),
    path("", include("waypoint.workspace.urls")),
    path("portal/", include("waypoint.portal.urls")),
]

# Waypoint's pages for errors; /api/ and /fhir keep their JSON errors (core/error_pages.py).
handler400 = "waypoint.core.error_pages.bad_request"
handler403 = "waypoint.core.error_pages.permission_denied"
handler404 = "waypoint.core.error_pages.page_not_found"
handler500 = "waypoint.core.error_pages.server_error"

from django.urls import path

from waypoint.audit import views

urlpatterns = [path("audit/", views.audit_search, name="audit_search")]

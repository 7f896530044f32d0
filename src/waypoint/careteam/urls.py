from django.urls import path

from waypoint.careteam import views

urlpatterns = [
    path("worklists/unassigned/", views.unassigned, name="unassigned"),
    path("patients/<int:patient_id>/key-worker/", views.assign, name="assign_key_worker"),
    path("cover/", views.covers, name="covers"),
    path("cover/<int:cover_id>/cancel/", views.cover_cancel, name="cover_cancel"),
    path("overview/", views.overview, name="overview"),
]

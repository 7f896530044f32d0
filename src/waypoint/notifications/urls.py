from django.urls import path

from waypoint.notifications import views

urlpatterns = [
    path("messages/", views.outbox, name="outbox"),
    path("messages/<int:message_id>/retry/", views.retry, name="outbox_retry"),
]

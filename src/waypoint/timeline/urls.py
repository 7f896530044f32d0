"""The timeline has no pages of its own: its pages show every app's events, so they live in the
workspace (workspace/timeline_views.py), at the same addresses and names."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []

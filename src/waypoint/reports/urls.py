from django.urls import path

from waypoint.reports import views

urlpatterns = [
    path("reports/", views.reports_page, name="reports"),
    path("reports/<str:indicator>.csv", views.report_csv, name="report_csv"),
]

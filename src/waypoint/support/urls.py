from django.urls import path

from waypoint.support import views

urlpatterns = [
    path("support/", views.directory, name="support_directory"),
    path("patients/<int:patient_id>/support/", views.patient_support, name="patient_support"),
    path("patients/<int:patient_id>/support/refer/", views.refer, name="support_refer"),
    path("patients/<int:patient_id>/support/offer/", views.offer, name="support_offer"),
    path(
        "patients/<int:patient_id>/support/referrals/<int:referral_id>/",
        views.move,
        name="support_move",
    ),
    path("portal/support/", views.portal_support, name="portal_support"),
    path("portal/support/refer/", views.portal_refer, name="portal_refer"),
    path("portal/sessions/", views.portal_sessions, name="portal_sessions"),
    path("portal/sessions/<int:session_id>/book/", views.portal_book, name="portal_book"),
    path("portal/bookings/<int:booking_id>/cancel/", views.portal_cancel, name="portal_cancel"),
    path("sessions/<int:session_id>.ics", views.session_calendar, name="session_calendar"),
    path("portal/resource-pack/", views.portal_pack, name="portal_pack"),
    path("resource-pack.pdf", views.pack_pdf, name="pack_pdf"),
    path("resource-pack/orders/", views.pack_orders, name="pack_orders"),
    path(
        "resource-pack/orders/<int:order_id>/pack.pdf", views.pack_order_pdf, name="pack_order_pdf"
    ),
]

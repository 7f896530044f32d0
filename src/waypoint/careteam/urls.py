from django.urls import path

from waypoint.careteam import team_views, views

urlpatterns = [
    path("worklists/unassigned/", views.unassigned, name="unassigned"),
    path("patients/<int:patient_id>/key-worker/", views.assign, name="assign_key_worker"),
    path("cover/", views.covers, name="covers"),
    path("cover/<int:cover_id>/cancel/", views.cover_cancel, name="cover_cancel"),
    path("overview/", views.overview, name="overview"),
    # Running a team (its leads).
    path("teams/", team_views.team_list, name="team_list"),
    path("teams/<int:team_id>/", team_views.team_manage, name="team_manage"),
    path("teams/<int:team_id>/invite/", team_views.team_invite, name="team_invite"),
    path(
        "teams/<int:team_id>/add/<int:user_id>/",
        team_views.team_add_existing,
        name="team_add_existing",
    ),
    path(
        "teams/<int:team_id>/invitations/<int:invitation_id>/withdraw/",
        team_views.team_invitation_withdraw,
        name="team_invitation_withdraw",
    ),
    path(
        "teams/<int:team_id>/members/<int:membership_id>/",
        team_views.team_member,
        name="team_member",
    ),
    path(
        "teams/<int:team_id>/members/<int:membership_id>/end/",
        team_views.team_member_end,
        name="team_member_end",
    ),
    path(
        "teams/<int:team_id>/members/<int:membership_id>/reassign/",
        team_views.team_member_reassign,
        name="team_member_reassign",
    ),
    path("teams/<int:team_id>/letters/", team_views.team_letters, name="team_letters"),
    path(
        "teams/<int:team_id>/letters/<int:notice_id>/printed/",
        team_views.key_worker_letter_printed,
        name="key_worker_letter_printed",
    ),
    # Using an invitation to join a team (no account yet).
    path(
        "team-invitation/<str:token>/",
        team_views.team_invitation_open,
        name="team_invitation_open",
    ),
    # Telling a person about their new key worker.
    path(
        "key-worker-notices/<int:notice_id>/seen/",
        team_views.key_worker_notice_seen,
        name="key_worker_notice_seen",
    ),
    path(
        "patients/<int:patient_id>/key-worker-letter.pdf",
        team_views.key_worker_letter,
        name="key_worker_letter",
    ),
]

"""Permissions, and the roles that hold them. Anything not granted here is denied.

Record-level checks (which patients an actor may see) live in each resource's policy module,
e.g. ``waypoint.registry.policies``; they start from these permissions.
"""

from __future__ import annotations

import enum

from waypoint.accounts.models import Role, User


class Permission(enum.StrEnum):
    VIEW_TEAM_PATIENTS = "view_team_patients"
    SEARCH_ORGANISATION_PATIENTS = "search_organisation_patients"  # with a recorded reason
    VIEW_OWN_RECORD = "view_own_record"
    EDIT_OWN_CONTACT_DETAILS = "edit_own_contact_details"
    REGISTER_PATIENT = "register_patient"
    EDIT_TEAM_PATIENTS = "edit_team_patients"
    ASSIGN_KEY_WORKER = "assign_key_worker"
    BULK_REASSIGN_KEY_WORKER = "bulk_reassign_key_worker"
    ARRANGE_COVER = "arrange_cover"
    VIEW_AGGREGATES = "view_aggregates"
    SEARCH_AUDIT = "search_audit"
    REPORT_OWN_SYMPTOMS = "report_own_symptoms"
    TRIAGE_REPORTS = "triage_reports"  # see the team's triage queue, acknowledge, close
    LOG_HELPLINE_CALL = "log_helpline_call"
    RECORD_TREATMENT = "record_treatment"
    MANAGE_ON_CALL = "manage_on_call"
    MANAGE_OUTBOX = "manage_outbox"
    MANAGE_TEAMS = "manage_teams"  # who belongs to which team, and so sees its patients
    MANAGE_ACCOUNTS = "manage_accounts"  # accounts: their role, sign-in, password, API tokens
    # A carer acts for the people who granted them access, and only in the ways each grant
    # names (registry.policies decides per person).
    ACT_AS_PROXY = "act_as_proxy"


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.PATIENT: frozenset(
        {
            Permission.VIEW_OWN_RECORD,
            Permission.EDIT_OWN_CONTACT_DETAILS,
            Permission.REPORT_OWN_SYMPTOMS,
        }
    ),
    Role.CARER: frozenset({Permission.ACT_AS_PROXY}),
    Role.KEY_WORKER: frozenset(
        {
            Permission.VIEW_TEAM_PATIENTS,
            Permission.REGISTER_PATIENT,
            Permission.EDIT_TEAM_PATIENTS,
            Permission.ASSIGN_KEY_WORKER,
            Permission.ARRANGE_COVER,
            Permission.TRIAGE_REPORTS,
            Permission.LOG_HELPLINE_CALL,
            Permission.RECORD_TREATMENT,
        }
    ),
    Role.ONCOLOGIST: frozenset(
        {
            Permission.VIEW_TEAM_PATIENTS,
            Permission.REGISTER_PATIENT,
            Permission.EDIT_TEAM_PATIENTS,
            Permission.ASSIGN_KEY_WORKER,
            Permission.TRIAGE_REPORTS,
            Permission.LOG_HELPLINE_CALL,
            Permission.RECORD_TREATMENT,
        }
    ),
    Role.HELPLINE_NURSE: frozenset(
        {
            Permission.SEARCH_ORGANISATION_PATIENTS,
            Permission.REGISTER_PATIENT,
            Permission.TRIAGE_REPORTS,
            Permission.LOG_HELPLINE_CALL,
        }
    ),
    Role.SERVICE_MANAGER: frozenset(
        {
            Permission.VIEW_AGGREGATES,
            Permission.BULK_REASSIGN_KEY_WORKER,
            Permission.ARRANGE_COVER,
            Permission.MANAGE_ON_CALL,
        }
    ),
    Role.ADMIN: frozenset(
        {
            Permission.SEARCH_AUDIT,
            Permission.VIEW_AGGREGATES,
            Permission.MANAGE_ON_CALL,
            Permission.MANAGE_OUTBOX,
            Permission.MANAGE_TEAMS,
            Permission.MANAGE_ACCOUNTS,
        }
    ),
}


def has_permission(actor: User | None, permission: Permission) -> bool:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    return permission in ROLE_PERMISSIONS.get(actor.role, frozenset())

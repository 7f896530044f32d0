"""Care-team reads: who to contact, caseloads, the unassigned worklist, aggregate counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone

from waypoint.accounts.models import Role, User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.careteam.models import (
    Cover,
    KeyWorkerAssignment,
    OnCallShift,
    Organisation,
    Team,
    TeamMembership,
    TeamOpeningHours,
)
from waypoint.careteam.rules.duty import Opening, OpeningHours, bank_holidays, team_opening
from waypoint.careteam.rules.suggestion import Candidate, Suggestion, suggest_key_worker
from waypoint.core.errors import NotFound, ValidationFailed
from waypoint.registry.models import Patient
from waypoint.registry.policies import team_ids_actor_may_register_into, team_ids_for
from waypoint.registry.selectors import living_with_secondary


@dataclass(frozen=True)
class PatientContact:
    """Whom the person should contact, honouring cover: what every 'who to contact' shows."""

    key_worker: User | None
    key_worker_since: dt.datetime | None
    covering: User | None
    cover_until: dt.date | None
    team: Team

    @property
    def contact_person(self) -> User | None:
        return self.covering or self.key_worker


def active_covers_query(day: dt.date) -> QuerySet[Cover]:
    return Cover.objects.filter(cancelled_at__isnull=True, starts_on__lte=day, ends_on__gte=day)


def covers_by_absent_user(user_ids: set[int], day: dt.date) -> dict[int, Cover]:
    if not user_ids:
        return {}
    covers = (
        active_covers_query(day)
        .filter(absent_user_id__in=user_ids)
        .select_related("cover_user")
        .order_by("starts_on", "id")
    )
    return {cover.absent_user_id: cover for cover in covers}


def current_assignment(patient: Patient) -> KeyWorkerAssignment | None:
    prefetched = getattr(patient, "current_assignments", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return (
        KeyWorkerAssignment.objects.filter(patient=patient, ended_at__isnull=True)
        .select_related("key_worker")
        .first()
    )


def contact_for_patient(
    patient: Patient, *, day: dt.date, covers: dict[int, Cover] | None = None
) -> PatientContact:
    assignment = current_assignment(patient)
    key_worker = assignment.key_worker if assignment else None
    cover = None
    if key_worker is not None:
        lookup = covers if covers is not None else covers_by_absent_user({key_worker.pk}, day)
        cover = lookup.get(key_worker.pk)
    return PatientContact(
        key_worker=key_worker,
        key_worker_since=assignment.started_at if assignment else None,
        covering=cover.cover_user if cover else None,
        cover_until=cover.ends_on if cover else None,
        team=patient.team,
    )


def assignment_history(patient: Patient) -> QuerySet[KeyWorkerAssignment]:
    return KeyWorkerAssignment.objects.filter(patient=patient).select_related(
        "key_worker", "assigned_by", "ended_by"
    )


def key_workers_by_team(team_ids: Iterable[int]) -> dict[int, list[User]]:
    """Active key workers (clinical nurse specialists) of each team, in one query."""
    memberships = (
        TeamMembership.objects.filter(
            team_id__in=team_ids, user__role=Role.KEY_WORKER, user__is_active=True
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    by_team: dict[int, list[User]] = {}
    for membership in memberships:
        by_team.setdefault(membership.team_id, []).append(membership.user)
    return by_team


def key_worker_candidates_by_team(
    team_ids: Iterable[int], *, day: dt.date
) -> dict[int, list[Candidate]]:
    """Each team's key workers with their current caseload and whether they are away today."""
    key_workers = key_workers_by_team(team_ids)
    user_ids = {u.pk for members in key_workers.values() for u in members}
    loads = dict(
        KeyWorkerAssignment.objects.filter(key_worker_id__in=user_ids, ended_at__isnull=True)
        .values("key_worker_id")
        .annotate(n=Count("id"))
        .values_list("key_worker_id", "n")
    )
    away = set(
        active_covers_query(day)
        .filter(absent_user_id__in=user_ids)
        .values_list("absent_user_id", flat=True)
    )
    return {
        team_id: [
            Candidate(
                user_id=u.pk,
                name=u.display_name,
                caseload=loads.get(u.pk, 0),
                on_leave=u.pk in away,
            )
            for u in members
        ]
        for team_id, members in key_workers.items()
    }


def key_worker_candidates(team: Team, *, day: dt.date) -> list[Candidate]:
    return key_worker_candidates_by_team([team.pk], day=day).get(team.pk, [])


def key_worker_suggestion(patient: Patient, *, day: dt.date) -> Suggestion | None:
    return suggest_key_worker(key_worker_candidates(patient.team, day=day))


def current_assignments_of_outer_patient() -> QuerySet[KeyWorkerAssignment]:
    """The open assignment of the patient in the enclosing query, for Exists() filters."""
    return KeyWorkerAssignment.objects.filter(patient=OuterRef("pk"), ended_at__isnull=True)


def unassigned_base(patients: QuerySet[Patient]) -> QuerySet[Patient]:
    """Living registry patients with no current key worker (cheap: for counting)."""
    return living_with_secondary(patients).filter(~Exists(current_assignments_of_outer_patient()))


def unassigned_queryset(patients: QuerySet[Patient]) -> QuerySet[Patient]:
    """Living registry patients with no current key worker, longest waiting first.

    Waiting starts at T0, or when their last key worker's assignment ended if that is later.
    """
    return (
        unassigned_base(patients)
        .annotate(
            last_assignment_ended=Cast(
                Max("key_worker_assignments__ended_at"), output_field=DateField()
            )
        )
        .annotate(
            waiting_since=Greatest(
                F("metastatic_diagnosed_on"),
                Coalesce(F("last_assignment_ended"), F("metastatic_diagnosed_on")),
            )
        )
        .order_by("waiting_since", "id")
    )


def caseload_queryset(
    patients: QuerySet[Patient], *, actor: User, scope: str, day: dt.date
) -> QuerySet[Patient]:
    """``mine``: the actor's own key-worker patients and those they cover today; ``team``: all
    registry patients of the actor's teams (``patients`` is already scoped by policy)."""
    living = living_with_secondary(patients)
    if scope == "team":
        return living
    covered_ids = active_covers_query(day).filter(cover_user=actor).values("absent_user_id")
    return living.filter(
        Exists(
            current_assignments_of_outer_patient().filter(
                Q(key_worker=actor) | Q(key_worker_id__in=covered_ids)
            )
        )
    )


@dataclass(frozen=True)
class TeamLoad:
    team: Team
    patients: int
    unassigned: int
    key_workers: list[tuple[User, int, bool]]


def team_loads(teams: QuerySet[Team], *, day: dt.date) -> list[TeamLoad]:
    """Aggregate counts only: what a service manager may see."""
    team_list = list(
        teams.annotate(
            living=Count(
                "patients",
                filter=Q(
                    patients__metastatic_diagnosed_on__isnull=False,
                    patients__died_on__isnull=True,
                ),
            )
        ).select_related("organisation")
    )
    unassigned_counts = dict(
        unassigned_base(Patient.objects.filter(team__in=team_list))
        .order_by()
        .values("team_id")
        .annotate(n=Count("id"))
        .values_list("team_id", "n")
    )
    memberships = (
        TeamMembership.objects.filter(
            team__in=team_list, user__role=Role.KEY_WORKER, user__is_active=True
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    loads = dict(
        KeyWorkerAssignment.objects.filter(ended_at__isnull=True)
        .values("key_worker_id")
        .annotate(n=Count("id"))
        .values_list("key_worker_id", "n")
    )
    on_leave = set(active_covers_query(day).values_list("absent_user_id", flat=True))
    by_team: dict[int, list[tuple[User, int, bool]]] = {}
    for membership in memberships:
        by_team.setdefault(membership.team_id, []).append(
            (membership.user, loads.get(membership.user_id, 0), membership.user_id in on_leave)
        )
    return [
        TeamLoad(
            team=team,
            patients=team.living,
            unassigned=unassigned_counts.get(team.pk, 0),
            key_workers=by_team.get(team.pk, []),
        )
        for team in team_list
    ]


def teams_for_aggregates(actor: User) -> QuerySet[Team]:
    """Teams whose counts the actor may see: an admin, every team; a manager, their trust's."""
    if actor.role == Role.ADMIN:
        return Team.objects.all()
    return teams_for_manager(actor)


def teams_for_manager(actor: User) -> QuerySet[Team]:
    org_ids = Team.objects.filter(memberships__user=actor).values("organisation_id")
    return Team.objects.filter(organisation_id__in=org_ids)


def viewable_teams(actor: User) -> QuerySet[Team]:
    """Teams whose figures the actor may see: in aggregate (managers, admins), or their own
    teams (clinicians). Anyone else, none."""
    if has_permission(actor, Permission.VIEW_AGGREGATES):
        return teams_for_aggregates(actor).order_by("name")
    if has_permission(actor, Permission.VIEW_TEAM_PATIENTS):
        return Team.objects.filter(id__in=team_ids_for(actor)).order_by("name")
    return Team.objects.none()


@dataclass(frozen=True)
class AggregateScope:
    """The teams a dashboard, report or survey result counts: one team, one organisation's
    teams, or every team the viewer may see; and whether the viewer sees exact counts."""

    teams: tuple[Team, ...]  # every team the viewer may choose
    organisations: tuple[Organisation, ...]  # theirs, by name
    chosen: tuple[Team, ...]
    label: str
    team_id: int | None
    organisation_id: int | None
    exact: bool  # a clinician of their own teams; aggregate-only viewers get small numbers hidden

    @property
    def team_ids(self) -> list[int]:
        return [t.pk for t in self.chosen]


def aggregate_scope_for(
    actor: User, *, team_id: int | None = None, organisation_id: int | None = None
) -> AggregateScope:
    """The viewer's choice of scope. Nothing to see, or a team or organisation outside what
    they may see, is 404; a team of another of their organisations than the one chosen is a
    validation error."""
    teams = tuple(viewable_teams(actor).select_related("organisation"))
    if not teams:
        raise NotFound()
    organisations = tuple(
        sorted({t.organisation_id: t.organisation for t in teams}.values(), key=lambda o: o.name)
    )
    chosen, label = teams, "All teams you may see"
    if organisation_id is not None:
        chosen = tuple(t for t in teams if t.organisation_id == organisation_id)
        if not chosen:
            raise NotFound()
        label = chosen[0].organisation.name
    if team_id is not None:
        team = next((t for t in chosen if t.pk == team_id), None)
        if team is None:
            if any(t.pk == team_id for t in teams):
                raise ValidationFailed(
                    "That team is not part of the organisation chosen.",
                    fields={"team": "choose a team of the organisation, or all its teams"},
                )
            raise NotFound()
        chosen, label = (team,), team.name
    exact = has_permission(actor, Permission.VIEW_TEAM_PATIENTS) and not has_permission(
        actor, Permission.VIEW_AGGREGATES
    )
    return AggregateScope(
        teams=teams,
        organisations=organisations,
        chosen=chosen,
        label=label,
        team_id=team_id,
        organisation_id=organisation_id,
        exact=exact,
    )


def covers_for_actor(actor: User, *, day: dt.date) -> QuerySet[Cover]:
    """Current and future cover the actor is part of, or arranged within their teams."""
    team_ids = TeamMembership.objects.filter(user=actor).values("team_id")
    colleagues = TeamMembership.objects.filter(team_id__in=team_ids).values("user_id")
    return (
        Cover.objects.filter(cancelled_at__isnull=True, ends_on__gte=day)
        .filter(Q(absent_user_id__in=colleagues) | Q(cover_user=actor) | Q(absent_user=actor))
        .select_related("absent_user", "cover_user")
        .distinct()
    )


# --- Who is on duty ---------------------------------------------------------------------------


def team_opening_at(team: Team, *, now: dt.datetime) -> Opening:
    """Whether the team is in hours at ``now`` (``waypoint-duty-1``), in the service's time zone
    with the configured region's bank holidays."""
    tz = timezone.get_default_timezone()
    rows = [
        OpeningHours(weekday=h.weekday, opens_at=h.opens_at, closes_at=h.closes_at)
        for h in TeamOpeningHours.objects.filter(team_id=team.pk)
    ]
    year = now.astimezone(tz).year
    return team_opening(
        now,
        hours=rows,
        bank_holidays=bank_holidays(settings.WAYPOINT_BANK_HOLIDAYS, year),
        tz=tz,
    )


def on_call_at(team_id: int, *, now: dt.datetime) -> list[User]:
    """The team's on-call clinicians whose shift covers ``now``, each once, earliest shift first."""
    shifts = (
        OnCallShift.objects.filter(
            team_id=team_id, starts_at__lte=now, ends_at__gt=now, clinician__is_active=True
        )
        .select_related("clinician")
        .order_by("starts_at", "id")
    )
    return list({s.clinician_id: s.clinician for s in shifts}.values())


@dataclass(frozen=True)
class OnDuty:
    """Who must act on a person's report now, and why.

    ``contact_on_duty``: the key worker (or their cover) is in hours and here, and is the one to
    act. Otherwise ``people`` are the team's on-call clinicians, and ``why`` says why the contact
    is not the one (out of hours, away with nobody covering, nobody assigned).
    """

    opening: Opening
    contact: PatientContact
    contact_on_duty: bool
    people: tuple[User, ...]
    why: str


def _contact_unavailable(contact: PatientContact, *, day: dt.date) -> str:
    """Why the contact cannot act in hours today, or "" when they can."""
    person = contact.contact_person
    if person is None:
        return "no key worker is assigned"
    if not person.is_active:
        return f"{person.display_name} no longer has an active account"
    if contact.covering is not None and covers_by_absent_user({person.pk}, day):
        return f"{person.display_name}, who covers for the key worker, is away too"
    return ""


def on_duty_for_patient(patient: Patient, *, now: dt.datetime) -> OnDuty:
    """Who is on duty for this person at ``now``.

    In the team's hours the key worker is on duty, or their cover when they are away (the same
    contact as ``contact_for_patient``). Out of hours, or in hours when that contact cannot act,
    the people on duty are the team's on-call clinicians (possibly nobody).
    """
    day = timezone.localdate(now)
    contact = contact_for_patient(patient, day=day)
    return _on_duty(contact, now=now, day=day)


def on_duty_for_team(team: Team, *, now: dt.datetime) -> OnDuty:
    """As ``on_duty_for_patient`` for a report with no registered person: nobody is their key
    worker, so the on-call clinicians are on duty."""
    contact = PatientContact(
        key_worker=None, key_worker_since=None, covering=None, cover_until=None, team=team
    )
    return _on_duty(contact, now=now, day=timezone.localdate(now))


def _on_duty(contact: PatientContact, *, now: dt.datetime, day: dt.date) -> OnDuty:
    opening = team_opening_at(contact.team, now=now)
    if opening.is_open:
        unavailable = _contact_unavailable(contact, day=day)
        if not unavailable:
            person = contact.contact_person
            assert person is not None  # noqa: S101  # checked by _contact_unavailable
            return OnDuty(
                opening=opening,
                contact=contact,
                contact_on_duty=True,
                people=(person,),
                why=opening.why,
            )
        why = f"{unavailable}, {opening.why}"
    else:
        why = opening.why
    return OnDuty(
        opening=opening,
        contact=contact,
        contact_on_duty=False,
        people=tuple(on_call_at(contact.team.pk, now=now)),
        why=why,
    )


def absent_user_ids(user_ids: Iterable[int], *, day: dt.date) -> set[int]:
    """Which of these people are away on ``day`` (an arranged cover names them as absent)."""
    ids = set(user_ids)
    if not ids:
        return set()
    return set(
        active_covers_query(day)
        .filter(absent_user_id__in=ids)
        .values_list("absent_user_id", flat=True)
    )


def teams_actor_may_register_into(actor: User) -> QuerySet[Team]:
    """The teams ``actor`` may register a person into (the registry's rule), as teams to list."""
    return Team.objects.filter(id__in=team_ids_actor_may_register_into(actor))


def cover_choices(actor: User) -> tuple[list[User], list[User]]:
    """Who may be absent and who may cover, among the staff the actor arranges cover for."""
    if actor.role == Role.SERVICE_MANAGER:
        teams = teams_for_manager(actor)
        staff = list(
            User.objects.filter(memberships__team__in=teams, is_active=True)
            .filter(role__in=[Role.KEY_WORKER, Role.ONCOLOGIST])
            .distinct()
            .order_by("last_name", "first_name")
        )
        return [u for u in staff if u.role == Role.KEY_WORKER], staff
    team_ids = TeamMembership.objects.filter(user=actor).values("team_id")
    colleagues = list(
        User.objects.filter(memberships__team_id__in=team_ids, is_active=True)
        .filter(role__in=[Role.KEY_WORKER, Role.ONCOLOGIST])
        .exclude(pk=actor.pk)
        .distinct()
        .order_by("last_name", "first_name")
    )
    return [actor], colleagues


def key_workers_of(team_ids: Iterable[int]) -> list[User]:
    """Key workers across the given teams, each once."""
    unique = {u.pk: u for members in key_workers_by_team(team_ids).values() for u in members}
    return sorted(unique.values(), key=lambda u: (u.last_name, u.first_name, u.pk))

"""The caseload: a clinician's people with what is due for each (needs assessments, care
standards, open referrals). It draws on many apps, so it lives in the composing layer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.assessments.rules.due import DueStatus
from waypoint.assessments.selectors import hna_due_for
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record_many
from waypoint.careteam import selectors
from waypoint.careteam.models import Cover, KeyWorkerAssignment
from waypoint.careteam.worklists import require_team_view
from waypoint.core.clinical_settings import key_worker_deadline_days
from waypoint.core.errors import ValidationFailed
from waypoint.core.pagination import paginate
from waypoint.registry import policies
from waypoint.registry.models import MetastaticSite, Patient
from waypoint.registry.rules.codes import SITES_BY_CODE
from waypoint.registry.selectors import living_with_secondary
from waypoint.standards.rules.standards import Result
from waypoint.standards.selectors import due_for
from waypoint.support.selectors import open_referral_counts

SORTS = {
    "name": ("family_name", "given_name", "id"),
    "-name": ("-family_name", "-given_name", "-id"),
    "diagnosed": ("metastatic_diagnosed_on", "id"),
    "-diagnosed": ("-metastatic_diagnosed_on", "-id"),
    "age": ("-birth_date", "id"),
    "-age": ("birth_date", "id"),
}


@dataclass(frozen=True)
class CaseloadFilters:
    scope: str = "mine"
    q: str = ""
    site: str = ""
    key_worker: int | None = None
    unassigned_only: bool = False
    sort: str = "name"


@dataclass(frozen=True)
class CaseloadRow:
    patient: Patient
    contact: selectors.PatientContact
    sites: list[str]
    age: int
    hna: DueStatus | None = None
    open_referrals: int = 0
    due: list[Result] = field(default_factory=list)  # care standards still to do, soonest first


def with_current_key_worker(queryset: QuerySet[Patient]) -> QuerySet[Patient]:
    """What a caseload row shows, and no more: a list page's cost is mostly ORM objects."""
    return queryset.select_related("team").prefetch_related(
        Prefetch(
            "key_worker_assignments",
            queryset=KeyWorkerAssignment.objects.filter(ended_at__isnull=True).select_related(
                "key_worker"
            ),
            to_attr="current_assignments",
        )
    )


def site_labels_for(patient_ids: list[int]) -> dict[int, list[str]]:
    """Metastatic site labels per patient, in one query without building site objects."""
    labels: dict[int, list[str]] = {}
    rows = (
        MetastaticSite.objects.filter(diagnosis__patient_id__in=patient_ids)
        .order_by("diagnosis__diagnosed_on", "id")
        .values_list("diagnosis__patient_id", "site", "detail")
    )
    for patient_id, code, detail in rows:
        label = SITES_BY_CODE[code].label
        labels.setdefault(patient_id, []).append(f"{label} ({detail})" if detail else label)
    return labels


@dataclass(frozen=True)
class CaseloadPage:
    rows: list[CaseloadRow]
    count: int
    page: int
    page_size: int
    mine_count: int
    team_count: int
    unassigned_count: int
    overdue_unassigned_count: int
    key_worker_deadline_days: int  # the overdue count's deadline (KW1)
    filters: CaseloadFilters

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.page_size))


def _caseload_queryset(actor: User, filters: CaseloadFilters, day: dt.date) -> QuerySet[Patient]:
    visible = policies.patients_for_actor(actor)
    queryset = selectors.caseload_queryset(visible, actor=actor, scope=filters.scope, day=day)
    text = filters.q.strip()
    if text:
        digits = text.replace(" ", "")
        if digits.isdigit():
            queryset = queryset.filter(nhs_number__startswith=digits)
        else:
            for word in text.split():
                queryset = queryset.filter(
                    Q(family_name__istartswith=word) | Q(given_name__istartswith=word)
                )
    if filters.site:
        queryset = queryset.filter(
            Exists(
                MetastaticSite.objects.filter(diagnosis__patient=OuterRef("pk"), site=filters.site)
            )
        )
    current = selectors.current_assignments_of_outer_patient()
    if filters.key_worker is not None:
        queryset = queryset.filter(Exists(current.filter(key_worker_id=filters.key_worker)))
    if filters.unassigned_only:
        queryset = queryset.filter(~Exists(current))
    return queryset.order_by(*SORTS[filters.sort])


def _caseload_counts(actor: User, day: dt.date) -> dict[str, int]:
    """Every count the caseload header shows, in one pass over the actor's registry patients."""
    deadline = key_worker_deadline_days()
    living = living_with_secondary(policies.patients_for_actor(actor))
    current = selectors.current_assignments_of_outer_patient()
    covered = selectors.active_covers_query(day).filter(cover_user=actor).values("absent_user_id")
    mine = Exists(current.filter(Q(key_worker=actor) | Q(key_worker_id__in=covered)))
    return living.aggregate(
        team=Count("id"),
        mine=Count("id", filter=mine),
        unassigned=Count("id", filter=~Exists(current)),
        overdue=Count(
            "id",
            filter=~Exists(current)
            & Q(metastatic_diagnosed_on__lt=day - dt.timedelta(days=deadline)),
        ),
    )


@transaction.atomic
def caseload_open(
    *,
    actor: User,
    day: dt.date,
    filters: CaseloadFilters,
    page: int = 1,
    page_size: int | None = None,
    now: dt.datetime | None = None,
) -> CaseloadPage:
    require_team_view(actor)
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if filters.scope not in ("mine", "team"):
        errors["scope"] = "mine or team"
    if filters.sort not in SORTS:
        errors["sort"] = f"one of {', '.join(SORTS)}"
    if filters.site and filters.site not in SITES_BY_CODE:
        errors["site"] = "unknown site"
    if errors:
        raise ValidationFailed("Those filters are not valid.", fields=errors)
    size = page_size or settings.WAYPOINT_PAGE_SIZE
    queryset = _caseload_queryset(actor, filters, day)
    counts = _caseload_counts(actor, day)
    unfiltered = not (filters.q.strip() or filters.site or filters.key_worker is not None)
    known = None
    if unfiltered and not filters.unassigned_only:
        known = counts["team"] if filters.scope == "team" else counts["mine"]
    elif unfiltered and filters.scope == "team":
        known = counts["unassigned"]
    result = paginate(with_current_key_worker(queryset), page=page, page_size=size, count=known)
    key_worker_ids = {
        a.key_worker_id for p in result.items for a in getattr(p, "current_assignments", [])
    }
    covers: dict[int, Cover] = selectors.covers_by_absent_user(key_worker_ids, day)
    sites = site_labels_for([p.pk for p in result.items])
    hna = hna_due_for([p.pk for p in result.items], today=day)
    # The needs-assessment column answers HNA1 and HNA2 already, by its own due rule.
    due = due_for([p.pk for p in result.items], now=now)
    referrals = open_referral_counts([p.pk for p in result.items])
    rows = [
        CaseloadRow(
            patient=p,
            contact=selectors.contact_for_patient(p, day=day, covers=covers),
            sites=sites.get(p.pk, []),
            age=p.age_on(day),
            hna=hna.get(p.pk),
            open_referrals=referrals.get(p.pk, 0),
            due=[r for r in due.get(p.pk, []) if r.code not in ("HNA1", "HNA2")],
        )
        for p in result.items
    ]
    audit_record_many(
        actor=actor,
        action=AuditAction.LIST,
        patient_ids=[p.pk for p in result.items],
        object_type="Patient",
        detail="caseload",
    )
    return CaseloadPage(
        rows=rows,
        count=result.count,
        page=result.page,
        page_size=size,
        mine_count=counts["mine"] or 0,
        team_count=counts["team"] or 0,
        unassigned_count=counts["unassigned"] or 0,
        overdue_unassigned_count=counts["overdue"] or 0,
        key_worker_deadline_days=key_worker_deadline_days(),
        filters=filters,
    )

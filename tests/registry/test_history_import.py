"""patient_history_import: a person's diagnoses, receptor results and biopsies in one go, each
item checked as the single services check it, nothing written on any problem, the team's
clinicians only, one audit event per record."""

from __future__ import annotations

import datetime as dt

import pytest

from waypoint.audit.models import AuditEvent
from waypoint.core.errors import NotFound, ValidationFailed
from waypoint.registry.history import (
    BiopsyInput,
    PrimaryInput,
    ReceptorInput,
    SecondaryInput,
    patient_history_import,
)
from waypoint.registry.models import (
    Biopsy,
    BiopsyDecision,
    PrimaryDiagnosis,
    ReceptorResult,
    SecondaryDiagnosis,
)
from waypoint.registry.services import SiteInput

pytestmark = pytest.mark.django_db

D = dt.date


def _counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (PrimaryDiagnosis, SecondaryDiagnosis, ReceptorResult, Biopsy, AuditEvent)
    )


def test_a_history_is_written_with_one_audit_event_per_record(world, django_assert_max_num_queries):
    patient = world.patient
    audit_before = AuditEvent.objects.count()
    with django_assert_max_num_queries(10):
        written = patient_history_import(
            actor=world.key_worker,
            patient=patient,
            primaries=[PrimaryInput(D(2019, 3, 1), "left", "positive", "positive", "negative")],
            secondaries=[
                SecondaryInput(
                    D(2026, 9, 20), "recurrence", [SiteInput("liver"), SiteInput("lung")]
                )
            ],
            receptors=[
                ReceptorInput("er", "negative", D(2026, 9, 25), "metastatic", "16112-5"),
                ReceptorInput("pr", "positive", D(2019, 3, 1), "primary"),
            ],
            biopsies=[BiopsyInput(D(2026, 9, 22), site="liver")],
        )
    events = AuditEvent.objects.order_by("id")[audit_before:]
    assert sorted((e.object_type, e.object_id) for e in events) == sorted(
        [("PrimaryDiagnosis", str(written.primaries[0].pk))]
        + [("SecondaryDiagnosis", str(written.secondaries[0].pk))]
        + [("ReceptorResult", str(r.pk)) for r in written.receptors]
        + [("Biopsy", str(written.biopsies[0].pk))]
    )
    assert {e.actor_id for e in events} == {world.key_worker.pk}
    patient.refresh_from_db()
    assert patient.metastatic_diagnosed_on == D(2026, 9, 20)  # earlier than the first one
    new = written.secondaries[0]
    new.refresh_from_db()
    # The metastatic result and the liver biopsy settle the diagnosis they belong to.
    assert (new.er, new.receptors_assessed_on, new.biopsy_decision) == (
        "negative",
        D(2026, 9, 25),
        BiopsyDecision.DONE,
    )
    assert sorted(new.sites.values_list("site", flat=True)) == ["liver", "lung"]


def test_every_bad_item_is_named_and_nothing_is_written(world):
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        patient_history_import(
            actor=world.key_worker,
            patient=world.patient,
            primaries=[PrimaryInput(D(2019, 3, 1), "left", "positive", "positive", "negative")],
            secondaries=[SecondaryInput(D(2026, 9, 20), "recurrence", [])],
            receptors=[
                ReceptorInput("er", "positive", D(2019, 3, 1), "primary"),
                ReceptorInput("her2", "maybe", D(1900, 1, 1), "primary"),
            ],
            biopsies=[BiopsyInput(D(2099, 1, 1), site="moon")],
        )
    assert set(caught.value.fields) == {
        "secondaries.0.sites",
        "receptors.1.value",
        "receptors.1.observed_on",
        "biopsies.0.site",
        "biopsies.0.performed_on",
    }
    assert _counts() == before


@pytest.mark.parametrize("who", ["other_team_nurse", "helpline_nurse", "manager"])
def test_only_the_persons_team_may_record_a_history(world, who):
    before = _counts()
    with pytest.raises(NotFound):
        patient_history_import(
            actor=getattr(world, who),
            patient=world.patient,
            biopsies=[BiopsyInput(D(2026, 9, 22), site="liver")],
        )
    assert _counts() == before

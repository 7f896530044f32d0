"""Every operation of /api/v1/openapi.json, driven by schemathesis with generated requests: none
answers a server error, and every answer has a documented status, content type and shape.

The requests go through Django's WSGI application in this process, so they commit like real
ones (``committed_world``: a transactional database), on SQLite and on PostgreSQL alike. The
examples are drawn from a fixed seed, a bounded number per operation, so a run is repeatable: a
failure here is reproduced by running this test again, and schemathesis prints the request.

Identifiers in paths are generated at random, which on their own only ever meet 404s. So that
the operations are driven past the lookup too, most generated identifiers are swapped for one
of a record the persona may see (or may not: an other-team patient is in the list), chosen by the
generated number itself so that the swap is as repeatable as the examples.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.utils import timezone
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from tests.conftest import ApiClient
from tests.world import World

from waypoint.accounts.models import User
from waypoint.config.wsgi import application

SEED = 20_260_501
MAX_EXAMPLES = 25  # per operation, in the fuzzing phase; examples and coverage add their own

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _config(token: str) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            # Hypothesis's health checks time the first examples; on a busy machine they would
            # fail a run whose requests all answered as documented.
            "suppress-health-check": ["all"],
            "headers": {"Authorization": f"Bearer {token}"},
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
                "mode": "all",
            },
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": False},
            },
        }
    )


def _created(response: Any) -> int:
    assert response.status_code in (200, 201), response.content
    return int(response.json()["id"])


def _known_records(world: World, client: ApiClient) -> dict[str, list[int | str]]:
    """Records of every kind an operation's path names, made through the API itself."""
    patient = world.patient.pk
    today = timezone.localdate()
    report = client.post(
        f"/patients/{patient}/symptom-reports",
        {"source": "clinician", "symptoms": [{"code": "temperature", "celsius": 38.4}]},
    )
    line = client.post(
        f"/patients/{patient}/treatment-lines",
        {"kind": "chemotherapy", "drugs": "Capecitabine", "started_on": today.isoformat()},
    )
    assessment = client.post(f"/patients/{patient}/needs-assessments")
    cover = client.post(
        "/covers",
        {
            "absent_user": world.key_worker.pk,
            "cover_user": world.colleague.pk,
            "starts_on": (today + dt.timedelta(days=7)).isoformat(),
            "ends_on": (today + dt.timedelta(days=14)).isoformat(),
        },
    )
    return {
        "patient_id": [patient, world.other_patient.pk, world.team_b_patient.pk],
        "team_id": [world.team_a.pk, world.team_b.pk],
        "user_id": [world.key_worker.pk, world.colleague.pk],
        "report_id": [_created(report)],
        "line_id": [_created(line)],
        "assessment_id": [_created(assessment)],
        "cover_id": [_created(cover)],
        "code": ["KW1", "HNA1", "BX1"],
    }


def _swap_identifiers(case: Any, known: dict[str, list[int | str]]) -> None:
    """Three generated identifiers in four become a known record's of the same type, chosen by
    their value (a number) or length (a code)."""
    for name, value in list((case.path_parameters or {}).items()):
        choices = [c for c in known.get(name, []) if type(c) is type(value)]
        if not choices or isinstance(value, bool) or not isinstance(value, int | str):
            continue
        number = value if isinstance(value, int) else len(value)
        if number % 4 != 0:
            case.path_parameters[name] = choices[abs(number) % len(choices)]


def _schema_as(user: User, world: World) -> tuple[Any, dict[str, list[int | str]]]:
    client = ApiClient(user)
    known = _known_records(world, ApiClient(world.key_worker))
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", application, config=_config(client.token)
    )
    return schema, known


@pytest.fixture(autouse=True)
def _writes_unlimited(settings: Any) -> None:
    """Hundreds of generated writes a minute from one token: the per-token limit would answer
    most of them 429 (documented, so no failure) and leave the operations behind it untried."""
    settings.WAYPOINT_TOKEN_WRITES_PER_MINUTE = 1_000_000


@pytest.fixture
def as_key_worker(committed_world: World) -> Iterator[tuple[Any, dict[str, list[int | str]]]]:
    yield _schema_as(committed_world.key_worker, committed_world)


@pytest.fixture
def as_patient(committed_world: World) -> Iterator[tuple[Any, dict[str, list[int | str]]]]:
    yield _schema_as(committed_world.patient_user, committed_world)


@pytest.fixture
def key_worker_schema(as_key_worker: tuple[Any, Any]) -> Any:
    return as_key_worker[0]


@pytest.fixture
def key_worker_records(as_key_worker: tuple[Any, Any]) -> Any:
    return as_key_worker[1]


@pytest.fixture
def patient_schema(as_patient: tuple[Any, Any]) -> Any:
    return as_patient[0]


@pytest.fixture
def patient_records(as_patient: tuple[Any, Any]) -> Any:
    return as_patient[1]


key_worker_api = schemathesis.pytest.from_fixture("key_worker_schema")
patient_api = schemathesis.pytest.from_fixture("patient_schema")


@key_worker_api.parametrize()
def test_every_operation_answers_as_documented_to_a_key_worker(
    case: Any, key_worker_records: dict[str, list[int | str]]
) -> None:
    _swap_identifiers(case, key_worker_records)
    case.call_and_validate(checks=CHECKS)


@patient_api.parametrize()
def test_every_operation_answers_as_documented_to_a_patient(
    case: Any, patient_records: dict[str, list[int | str]]
) -> None:
    _swap_identifiers(case, patient_records)
    case.call_and_validate(checks=CHECKS)

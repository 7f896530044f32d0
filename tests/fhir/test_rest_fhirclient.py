"""The SMART on FHIR Python client (fhirclient, strict R4 models) reading a live server."""

from __future__ import annotations

import pytest
from fhirclient import client as smart_client
from fhirclient.models.bundle import Bundle
from fhirclient.models.careteam import CareTeam
from fhirclient.models.condition import Condition
from fhirclient.models.patient import Patient
from fhirclient.server import FHIRNotFoundException, FHIRUnauthorizedException

from tests.fhir.export_support import full_history
from waypoint.accounts.services import api_token_create

# fhirclient's own perform_resources_iter calls the method it deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:perform_resources:DeprecationWarning")


def connect(base: str, token: str | None) -> smart_client.FHIRClient:
    smart = smart_client.FHIRClient(
        settings={"app_id": "waypoint-tests", "api_base": base + "/fhir/"}
    )
    if token:
        smart.server.session.headers["Authorization"] = f"Bearer {token}"
    return smart


@pytest.fixture
def history(committed_world):  # type: ignore[no-untyped-def]
    return full_history(committed_world)


def test_fhirclient_reads_the_capability_statement_without_credentials(live_server) -> None:  # type: ignore[no-untyped-def]
    smart = connect(live_server.url, None)
    assert smart.prepare() is True  # an open server: no SMART authorisation to do
    statement = smart.server.capabilityStatement
    assert statement.fhirVersion == "4.0.1"
    assert "Patient" in {r.type for r in statement.rest[0].resource}


def test_fhirclient_reads_a_patient_and_searches_their_record(
    live_server, committed_world, history
) -> None:  # type: ignore[no-untyped-def]
    world = committed_world
    _, token = api_token_create(user=world.key_worker)
    smart = connect(live_server.url, token)
    patient = Patient.read(str(world.patient.pk), smart.server)
    assert patient.name[0].family == "Lovelace"
    assert patient.identifier[0].system == "https://fhir.nhs.uk/Id/nhs-number"
    assert patient.identifier[0].value == world.patient.nhs_number

    conditions = Condition.where(struct={"patient": str(world.patient.pk)}).perform_resources(
        smart.server
    )
    assert sorted(c.id for c in conditions) == [
        f"primary-{history.primary.pk}",
        f"secondary-{history.secondary.pk}",
    ]
    (team,) = CareTeam.where(struct={"subject": f"Patient/{world.patient.pk}"}).perform_resources(
        smart.server
    )
    assert team.participant[0].member.display == "Kate Walker"

    # Paging through the server's next links, one entry a page.
    observations = list(
        Condition.where(
            struct={"patient": str(world.patient.pk), "_count": "1"}
        ).perform_resources_iter(smart.server)
    )
    assert len(observations) == 2

    everything = Bundle.read_from(f"Patient/{world.patient.pk}/$everything", smart.server)
    assert everything.total == len(everything.entry) > 20


def test_fhirclient_is_refused_without_a_token_and_outside_scope(
    live_server, committed_world
) -> None:  # type: ignore[no-untyped-def]
    world = committed_world
    with pytest.raises(FHIRUnauthorizedException):
        Patient.read(str(world.patient.pk), connect(live_server.url, None).server)
    _, token = api_token_create(user=world.other_team_nurse)
    with pytest.raises(FHIRNotFoundException):
        Patient.read(str(world.patient.pk), connect(live_server.url, token).server)

"""The carer's portal: a carer sees the person's key worker and numbers, and only the parts the
person shared; everything else is refused, and every visit is audited where the person sees it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from tests.portal.carer_world import accepted_carer, carer_of
from tests.world import World

from waypoint.audit.models import AuditEvent
from waypoint.registry.models import ProxyAccess
from waypoint.registry.services import patient_update
from waypoint.registry.services.proxies import proxy_end

pytestmark = pytest.mark.django_db

ALL_SHARED = {
    "appointments": True,
    "resource_pack": True,
    "report_symptoms": True,
    "timeline": True,
}


def _signed_in(client: Client, world: World, **scopes: bool) -> int:
    proxy = accepted_carer(granted_by=world.patient_user, patient=world.patient, **scopes)
    client.force_login(carer_of(proxy))
    return proxy.pk


def test_a_carer_who_helps_one_person_goes_straight_to_them(client: Client, world: World) -> None:
    proxy_id = _signed_in(client, world)

    assert client.get("/").url == "/portal/carer/"  # type: ignore[attr-defined]
    response = client.get("/portal/carer/")

    assert response.status_code == 302
    assert response.url == f"/portal/carer/{proxy_id}/"  # type: ignore[attr-defined]


def test_a_carer_who_helps_two_people_chooses_between_them(client: Client, world: World) -> None:
    first = accepted_carer(granted_by=world.patient_user, patient=world.patient)
    accepted_carer(
        granted_by=world.other_patient_user,
        patient=world.other_patient,
        existing=carer_of(first),
    )
    client.force_login(carer_of(first))

    page = client.get("/portal/carer/").content.decode()

    assert "Ada Lovelace" in page
    assert "Bea Other" in page


def test_the_persons_page_says_whose_it_is_and_gives_the_key_worker_and_numbers(
    client: Client, world: World
) -> None:
    proxy_id = _signed_in(client, world)

    page = client.get(f"/portal/carer/{proxy_id}/").content.decode()

    assert "You are helping <strong>Ada Lovelace</strong>" in page
    assert "Ada's key worker (their named specialist nurse) is <strong>Kate Walker" in page
    assert "020 7946 0101" in page  # the team, in hours
    assert "020 7946 0999" in page  # out of hours
    assert "Secondary breast cancer helpline" in page
    assert "Call 999" in page  # the help-now box


def test_the_page_links_only_to_what_the_person_shared(client: Client, world: World) -> None:
    proxy_id = _signed_in(
        client, world, appointments=True, resource_pack=False, report_symptoms=False
    )

    page = client.get(f"/portal/carer/{proxy_id}/").content.decode()

    assert f"/portal/carer/{proxy_id}/appointments/" in page
    assert f"/portal/carer/{proxy_id}/resource-pack/" not in page
    assert f"/portal/carer/{proxy_id}/symptoms/" not in page
    assert f"/portal/carer/{proxy_id}/timeline/" not in page


@pytest.mark.parametrize("part", ["appointments/", "resource-pack/", "timeline/", "symptoms/"])
def test_each_shared_part_opens(client: Client, world: World, part: str) -> None:
    proxy_id = _signed_in(client, world, **ALL_SHARED)

    response = client.get(f"/portal/carer/{proxy_id}/{part}", follow=True)

    assert response.status_code == 200
    assert "You are helping <strong>Ada Lovelace</strong>" in response.content.decode()


@pytest.mark.parametrize(
    "part", ["appointments/", "resource-pack/", "timeline/", "symptoms/", "symptoms/emergency/"]
)
def test_a_part_not_shared_is_refused_kindly(client: Client, world: World, part: str) -> None:
    proxy_id = _signed_in(
        client,
        world,
        appointments=False,
        resource_pack=False,
        report_symptoms=False,
        timeline=False,
    )

    response = client.get(f"/portal/carer/{proxy_id}/{part}")

    assert response.status_code == 403
    assert "Ada has not shared this with you." in response.content.decode()


def test_someone_elses_grant_is_not_found(client: Client, world: World) -> None:
    proxy_id = accepted_carer(granted_by=world.patient_user, patient=world.patient).pk
    stranger = accepted_carer(
        granted_by=world.other_patient_user, patient=world.other_patient, username="tom"
    )
    client.force_login(carer_of(stranger))

    for part in ("", "appointments/", "resource-pack/", "timeline/", "symptoms/"):
        assert client.get(f"/portal/carer/{proxy_id}/{part}").status_code == 404
    assert not AuditEvent.objects.filter(actor=carer_of(stranger), patient=world.patient).exists()


def test_an_ended_grant_is_not_found_and_says_so_kindly(client: Client, world: World) -> None:
    proxy_id = _signed_in(client, world)
    proxy_end(actor=world.patient_user, proxy_id=proxy_id, now=timezone.now())

    response = client.get(f"/portal/carer/{proxy_id}/")

    assert response.status_code == 404
    assert "You can no longer see this person" in response.content.decode()
    assert "You are not helping anyone" in client.get("/portal/carer/").content.decode()


def test_after_the_person_has_died_their_page_is_not_found(client: Client, world: World) -> None:
    proxy_id = _signed_in(client, world)
    patient_update(
        actor=world.key_worker, patient=world.patient, changes={"died_on": timezone.localdate()}
    )

    assert client.get(f"/portal/carer/{proxy_id}/").status_code == 404


def test_every_visit_is_audited_and_shown_to_the_person(client: Client, world: World) -> None:
    proxy_id = _signed_in(client, world)
    carer = carer_of(ProxyAccess.objects.get(pk=proxy_id))
    before = AuditEvent.objects.filter(actor=carer, patient=world.patient).count()

    client.get(f"/portal/carer/{proxy_id}/")
    client.get(f"/portal/carer/{proxy_id}/appointments/")

    assert AuditEvent.objects.filter(actor=carer, patient=world.patient).count() == before + 2
    person = Client()
    person.force_login(world.patient_user)
    page = person.get("/portal/access/").content.decode()
    assert "Sam Patel, your daughter (carer)" in page
    assert "Looked at your key worker and your team&#x27;s numbers" in page
    assert "Looked at your meetings and support referrals" in page


def _portal_and_staff_paths() -> list[str]:
    """Every page of the person's own portal and of the staff workspace, with made-up ids: a
    carer must be refused all of them (their own pages are under /portal/carer/)."""
    paths: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
                continue
            name = pattern.name or ""
            if name.startswith(("carer_", "portal_join", "portal_sso")):
                continue
            if name.startswith("portal_") or name in {"caseload", "patient_detail", "timeline"}:
                paths.append(
                    "/"
                    + route.replace("<int:", "<")
                    .replace("<slug:", "<")
                    .replace("<str:", "<")
                    .replace("<", "{")
                    .replace(">", "}")
                )

    walk(get_resolver().url_patterns, "")
    return paths


def test_a_carer_reaches_no_page_of_the_persons_own_portal_nor_the_staffs(
    client: Client, world: World
) -> None:
    _signed_in(client, world, **ALL_SHARED)
    paths = _portal_and_staff_paths()
    assert "/portal/access/" in paths
    assert "/portal/carers/" in paths

    for template in paths:
        path = template.format_map(_Ids(world.patient.pk))
        got = client.get(path).status_code, client.post(path).status_code
        assert all(code in (403, 405) for code in got), (path, got)
        assert 403 in got, (path, got)


class _Ids(dict[str, object]):
    def __init__(self, patient_id: int) -> None:
        super().__init__()
        self.patient_id = patient_id

    def __missing__(self, key: str) -> object:
        return self.patient_id if key == "patient_id" else ("emergency" if key == "step" else 1)


def test_a_carer_cannot_use_the_api_for_the_person(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    proxy = accepted_carer(granted_by=world.patient_user, patient=world.patient, **ALL_SHARED)
    api = api_as(carer_of(proxy))

    for path in (
        f"/patients/{world.patient.pk}",
        f"/patients/{world.patient.pk}/timeline",
        f"/patients/{world.patient.pk}/proxies",
    ):
        assert api.get(path).status_code in (403, 404), path


def test_a_patient_cannot_open_the_carer_pages(client: Client, world: World) -> None:
    proxy = accepted_carer(granted_by=world.patient_user, patient=world.patient)
    client.force_login(world.patient_user)

    assert client.get("/portal/carer/").status_code == 403
    assert client.get(reverse("carer_person", kwargs={"proxy_id": proxy.pk})).status_code == 403


def test_a_carer_menu_offers_only_the_people_they_help(client: Client, world: World) -> None:
    proxy_id = _signed_in(client, world)

    page = client.get(f"/portal/carer/{proxy_id}/").content.decode()

    assert 'href="/portal/carer/"' in page
    assert 'href="/portal/"' not in page

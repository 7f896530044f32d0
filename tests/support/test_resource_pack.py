"""The secondary resource pack: its content, the PDF, and orders by post through to sending."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from waypoint.support.models import ResourcePackOrder, SupportOffer

pytestmark = pytest.mark.django_db

ORDER = {"name": "Ada Lovelace", "address": "1 Analytical Row\nLeeds", "postcode": "ls6 2qt"}


def test_the_pack_is_content_that_reads_as_a_pdf(world, api_as, client):
    sections = api_as(world.patient_user).get("/resource-pack").json()
    assert sections[0]["title"] == "Living with secondary breast cancer"
    client.force_login(world.patient_user)
    response = client.get("/resource-pack.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "When to get help straight away" in " ".join(text.split())


def test_an_order_by_post_is_sent_and_recorded_as_an_offer(world, api_as):
    person = api_as(world.patient_user)
    made = person.post(f"/patients/{world.patient.pk}/resource-pack-orders", ORDER)
    assert made.status_code == 201
    assert made.json()["postcode"] == "LS6 2QT"
    assert SupportOffer.objects.filter(kind="resource_pack", accepted=True).exists()
    assert person.get("/resource-pack-orders").status_code == 404
    admin = api_as(world.admin)
    waiting = admin.get("/resource-pack-orders").json()
    assert [o["id"] for o in waiting] == [made.json()["id"]]
    sent = admin.post(f"/resource-pack-orders/{made.json()['id']}/dispatch")
    assert sent.json()["status"] == "dispatched"
    assert admin.post(f"/resource-pack-orders/{made.json()['id']}/dispatch").status_code == 409


def test_an_order_needs_an_address_and_is_only_for_oneself(world, api_as):
    person = api_as(world.patient_user)
    bad = person.post(f"/patients/{world.patient.pk}/resource-pack-orders", dict(ORDER, address=""))
    assert bad.status_code == 422
    assert "address" in bad.json()["error"]["fields"]
    other = person.post(f"/patients/{world.other_patient.pk}/resource-pack-orders", ORDER)
    assert other.status_code == 404
    assert not ResourcePackOrder.objects.exists()


def test_the_portal_page_orders_and_admins_send(world, client):
    client.force_login(world.patient_user)
    page = client.get("/portal/resource-pack/")
    assert b"Your key worker is your named specialist nurse" in page.content
    client.post("/portal/resource-pack/", ORDER)
    assert b"requested" in client.get("/portal/resource-pack/").content
    client.force_login(world.admin)
    order = ResourcePackOrder.objects.get()
    assert b"1 Analytical Row" in client.get("/resource-pack/orders/").content
    client.post("/resource-pack/orders/", {"order_id": order.pk})
    order.refresh_from_db()
    assert order.status == "dispatched"


def test_a_bad_order_shows_the_error_beside_the_field_and_keeps_what_was_typed(world, client):
    client.force_login(world.patient_user)
    page = client.post("/portal/resource-pack/", dict(ORDER, address="  ")).content.decode()
    assert "There is a problem" in page
    assert 'id="id_address-error"' in page
    assert "Enter the address." in page
    assert "nhsuk-form-group--error" in page
    assert 'value="Ada Lovelace"' in page  # the name typed is kept
    assert "nhsuk-notification-banner--success" not in page
    assert not ResourcePackOrder.objects.exists()

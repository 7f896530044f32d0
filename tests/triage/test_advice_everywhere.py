"""Every place that shows urgent advice renders it from triage/rules/advice.py, and none disagree.

For each pathway, a report showing its warning sign is sent from the portal and graded on the
helpline form; the person's result page, the nurse's read-out, the portal home page, the resource
pack page and its PDF (text extracted) must all carry the same source's words, and the home page
must list the sign under the level the grading gives it.
"""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader

from waypoint.audit.models import AuditEvent
from waypoint.support.models import ResourcePackOrder
from waypoint.triage.rules import advice
from waypoint.triage.rules.advice import EMERGENCY_SIGNS, PATHWAYS, URGENT_SIGNS, Sign
from waypoint.triage.rules.vocabulary import SYMPTOMS, Kind, Level, Pathway
from waypoint.triage.services import ReportInput, symptom_report_submit

pytestmark = pytest.mark.django_db


def words(markup: str | bytes) -> str:
    """What a person reads: tags dropped, entities decoded, white space collapsed."""
    text = markup.decode() if isinstance(markup, bytes) else markup
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def pdf_words(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split()
    )


def card(page: str, variant: str) -> str:
    """The visible words of the first care card of ``variant`` on a page."""
    match = re.search(
        rf'<div class="nhsuk-card nhsuk-card--care nhsuk-card--care--{variant}">(.*?)</div></div>',
        page,
        flags=re.S,
    )
    assert match, f"no {variant} care card on the page"
    return words(match.group(1))


def sign_for(pathway: Pathway) -> Sign:
    return next(s for s in (*URGENT_SIGNS, *EMERGENCY_SIGNS) if s.pathway is pathway)


def report_items(sign: Sign) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for code, value in sign.example:
        symptom = SYMPTOMS[code]
        if symptom.kind is Kind.FEATURE:
            items.append({"code": code, "present": True})
        elif symptom.kind is Kind.GRADED:
            items.append({"code": code, "grade": int(value)})
        elif symptom.kind is Kind.COUNTED:
            items.append({"code": code, symptom.field: int(value)})
        else:
            items.append({"code": code, symptom.field: value})
    return items


def helpline_fields(sign: Sign) -> dict[str, str]:
    fields = {}
    for code, value in sign.example:
        kind = SYMPTOMS[code].kind
        fields[f"s_{code}"] = "on" if kind is Kind.FEATURE else str(value).removesuffix(".0")
    if sign.on_sact:
        fields |= {"last_sact_on": timezone.localdate().isoformat(), "sact_kind": "chemotherapy"}
    return fields


@pytest.mark.parametrize("pathway", list(Pathway), ids=lambda p: p.value)
def test_the_portal_result_the_helpline_read_out_and_the_pack_agree_for_every_pathway(
    world, client, pathway: Pathway
) -> None:
    sign = sign_for(pathway)
    context = (
        {"last_sact_on": timezone.localdate().isoformat(), "sact_kind": "chemotherapy"}
        if sign.on_sact
        else None
    )
    report, _ = symptom_report_submit(
        actor=world.patient_user,
        patient=world.patient,
        source="patient",
        data=ReportInput(symptoms=report_items(sign), context=context),
    )
    level = Level.from_code(report.level)
    pathways = tuple(Pathway(p) for p in report.pathways)
    assert pathway in pathways
    told = advice.advice_for(level, pathways, on_sact=report.on_sact)
    read_out = advice.read_out_for(level, pathways, on_sact=report.on_sact)

    client.force_login(world.patient_user)
    result = client.get(f"/portal/symptoms/reports/{report.pk}/").content.decode()
    variant = advice.LEVELS[level].card
    assert told in card(result, variant)
    assert advice.LEVELS[level].heading in card(result, variant)
    assert PATHWAYS[pathway].person in card(result, variant)

    home = client.get("/portal/").content.decode()
    listed_under = "emergency" if level is Level.EMERGENCY else "urgent"
    assert sign.words in card(home, listed_under)
    other = "urgent" if listed_under == "emergency" else "emergency"
    assert sign.words not in card(home, other)

    pack = client.get("/portal/resource-pack/").content.decode()
    assert sign.words in card(pack, listed_under)
    pdf = pdf_words(client.get("/resource-pack.pdf").content)
    assert " ".join(sign.words.split()) in pdf

    client.force_login(world.helpline_nurse)
    panel = client.post("/helpline/grade/", helpline_fields(sign)).content.decode()
    assert read_out in words(panel)
    assert PATHWAYS[pathway].action in words(panel)
    assert told not in words(panel), "the caller is told the nurse's words, not the portal's"

    client.force_login(world.key_worker)
    detail = words(client.get(f"/triage/reports/{report.pk}/").content)
    assert told in detail  # what the person was told, as stored with the report
    assert read_out in detail  # what to say when calling them back


def test_back_pain_with_weak_legs_is_call_your_team_now_on_every_page(world, client) -> None:
    """It grades red (NICE NG234, triage-rules.md): nowhere may it say 999 while the check says
    "call your team", or the reverse."""
    client.force_login(world.patient_user)
    home = client.get("/portal/").content.decode()
    assert "legs" not in card(home, "emergency")
    assert "weakness or numbness in your legs" in card(home, "urgent")
    pdf = pdf_words(client.get("/resource-pack.pdf").content)
    urgent_part = pdf.split(advice.URGENT_CALL, 1)[1]
    emergency_part = pdf.split(advice.EMERGENCY_CALL, 1)[1].split(advice.URGENT_CALL, 1)[0]
    assert "legs" in urgent_part
    assert "legs" not in emergency_part
    assert "24-hour number" not in pdf


def test_the_pack_prints_the_persons_own_numbers_on_the_page_and_the_pdf(world, client) -> None:
    team = world.team_a
    client.force_login(world.patient_user)
    page = words(client.get("/portal/resource-pack/").content)
    assert team.in_hours_phone in page
    assert team.out_of_hours_phone in page
    assert "numbers are on every page" not in page
    pdf = pdf_words(client.get("/resource-pack.pdf").content)
    for expected in (
        "Your numbers",
        team.in_hours_phone,
        team.out_of_hours_phone,
        world.key_worker.display_name,
        "999",
    ):
        assert expected in pdf
    assert "0808 800 6000" in pdf  # the helpline (settings default)


def test_staff_get_a_blank_pack_with_lines_for_the_numbers(world, client) -> None:
    client.force_login(world.key_worker)
    pdf = pdf_words(client.get("/resource-pack.pdf").content)
    assert "Your numbers" in pdf
    assert world.team_a.in_hours_phone not in pdf
    assert "write them in" in pdf


def test_the_posted_copy_carries_that_persons_numbers_and_printing_it_is_audited(
    world, client
) -> None:
    client.force_login(world.patient_user)
    client.post(
        "/portal/resource-pack/",
        {"name": "Ada Lovelace", "address": "1 Analytical Row", "postcode": "LS6 2QT"},
    )
    order = ResourcePackOrder.objects.get()
    assert client.get(f"/resource-pack/orders/{order.pk}/pack.pdf").status_code == 403
    client.force_login(world.admin)
    listing = client.get("/resource-pack/orders/").content.decode()
    assert f"/resource-pack/orders/{order.pk}/pack.pdf" in listing
    response = client.get(f"/resource-pack/orders/{order.pk}/pack.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = pdf_words(response.content)
    assert world.team_a.out_of_hours_phone in pdf
    assert AuditEvent.objects.filter(
        patient=world.patient, action="export", object_type="resource_pack_order"
    ).exists()
    assert client.get("/resource-pack/orders/999999/pack.pdf").status_code == 404


def test_the_check_in_reminder_uses_the_same_do_not_wait_line(world) -> None:
    from waypoint.notifications.models import OutboundMessage
    from waypoint.triage import monitoring

    world.patient.email = "ada@example.org"
    world.patient.save()
    monitoring._remind(world.patient, now=timezone.now())
    message = OutboundMessage.objects.get(topic="triage.check_in")
    assert advice.DO_NOT_WAIT in message.body
    assert "24-hour number" not in message.body

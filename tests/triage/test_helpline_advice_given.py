"""The helpline form offers the words to read out as the advice given, from the one source."""

from __future__ import annotations

import pytest
from django.utils import timezone

from waypoint.triage.rules import advice
from waypoint.triage.rules.vocabulary import Level, Pathway

pytestmark = pytest.mark.django_db


def test_grading_the_call_fills_an_empty_advice_given_with_the_words_to_say(world, client):
    client.force_login(world.helpline_nurse)
    page = client.post(
        f"/helpline/call/?patient={world.patient.pk}",
        {
            "patient": world.patient.pk,
            "s_temperature": "38.3",
            "last_sact_on": timezone.localdate().isoformat(),
            "sact_kind": "chemotherapy",
            "action": "grade",
            "advice_given": "",
        },
    ).content.decode()
    said = advice.read_out_for(Level.RED, (Pathway.NEUTROPENIC_SEPSIS,), on_sact=True)
    field = page.split('id="id_advice_given"', 1)[1].split("</textarea>", 1)[0]
    assert said in field.replace("&#x27;", "'")


def test_what_the_nurse_already_typed_is_kept(world, client):
    client.force_login(world.helpline_nurse)
    page = client.post(
        f"/helpline/call/?patient={world.patient.pk}",
        {
            "patient": world.patient.pk,
            "s_chest_pain": "on",
            "action": "grade",
            "advice_given": "Told to call 999",
        },
    ).content.decode()
    field = page.split('id="id_advice_given"', 1)[1].split("</textarea>", 1)[0]
    assert "Told to call 999" in field


def test_the_live_panel_offers_to_copy_the_words(world, client):
    client.force_login(world.helpline_nurse)
    panel = client.post("/helpline/grade/", {"s_chest_pain": "on"}).content.decode()
    assert 'data-copy-to="id_advice_given"' in panel

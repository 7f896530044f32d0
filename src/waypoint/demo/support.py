"""Demo support: a directory, meetings to book, and Sarah's assessment and plan."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.assessments import care_plans
from waypoint.assessments import services as assessments
from waypoint.registry.models import Patient
from waypoint.support.models import PeerSession, SupportService

SERVICES = [
    (
        "Northfield Hospice supportive care team",
        "palliative",
        "Northfield Hospice",
        "Leeds",
        "LS",
        "mixed",
    ),
    (
        "Psychological support for people with cancer",
        "psychology",
        "Northfield University Hospitals",
        "Leeds",
        "LS",
        "in_person",
    ),
    (
        "Cancer benefits advice line",
        "benefits",
        "Local Citizens Advice",
        "West Yorkshire",
        "LS, WF, BD, HX, HD",
        "phone",
    ),
    (
        "Lymphoedema clinic",
        "lymphoedema",
        "Northfield University Hospitals",
        "Leeds",
        "LS",
        "in_person",
    ),
    (
        "Living with Secondary Breast Cancer, Leeds",
        "peer_support",
        "Breast cancer charity",
        "Leeds",
        "LS",
        "in_person",
    ),
    (
        "Living with Secondary Breast Cancer, online",
        "peer_support",
        "Breast cancer charity",
        "National",
        "",
        "online",
    ),
    (
        "Secondary breast cancer helpline",
        "helpline",
        "Breast cancer charity",
        "National",
        "",
        "phone",
    ),
    (
        "Complementary therapies at the cancer centre",
        "complementary",
        "Cancer support centre",
        "Leeds",
        "LS",
        "in_person",
    ),
]


def load_support_demo(*, users: dict[str, User]) -> None:
    for name, kind, provider, area, postcodes, mode in SERVICES:
        SupportService.objects.create(
            name=name,
            kind=kind,
            provider=provider,
            area_served=area,
            postcode_areas=postcodes,
            mode=mode,
            phone="0113 496 0700",
            opening_hours="Monday to Friday, 9am to 5pm",
        )
    now = timezone.now()
    for days, title, mode, where, capacity in (
        (
            6,
            "Living with Secondary Breast Cancer, Leeds",
            "in_person",
            "Cancer support centre, Leeds",
            12,
        ),
        (
            9,
            "Living with Secondary Breast Cancer, online",
            "online",
            "Online: the link comes by email",
            2,
        ),
        (
            20,
            "Living with Secondary Breast Cancer, Leeds",
            "in_person",
            "Cancer support centre, Leeds",
            12,
        ),
    ):
        start = (now + dt.timedelta(days=days)).replace(hour=13, minute=30, second=0, microsecond=0)
        PeerSession.objects.create(
            title=title,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            mode=mode,
            location=where,
            capacity=capacity,
            facilitator="A trained facilitator",
        )
    sarah = Patient.objects.get(user__username="patient")
    assessment = assessments.hna_open(actor=users["keyworker"], patient_id=sarah.pk)
    assessments.hna_save(
        actor=users["keyworker"],
        assessment_id=assessment.pk,
        answers={"distress": 5, "practical.money": 8, "physical.fatigue": 7, "emotional.future": 6},
        finish=True,
    )
    care_plans.care_plan_revise(
        actor=users["keyworker"],
        patient_id=sarah.pk,
        actions=[
            care_plans.ActionInput(
                concern="practical.money",
                action="Referral to the cancer benefits advice line",
                owner="Grace (key worker)",
                due_on=timezone.localdate() + dt.timedelta(days=7),
            ),
            care_plans.ActionInput(
                concern="physical.fatigue",
                action="Try the fatigue management course",
                owner="Sarah",
                due_on=timezone.localdate() + dt.timedelta(days=21),
            ),
            care_plans.ActionInput(
                concern="emotional.future",
                action="Come to a Living with Secondary Breast Cancer meeting",
                owner="Sarah",
            ),
        ],
        note="Agreed at the clinic. Review at the next appointment.",
    )

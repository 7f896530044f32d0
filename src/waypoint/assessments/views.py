"""The needs assessment, a page per part, for the person on the portal or with their nurse.

Every page saves what was answered, so the person can stop at any point and carry on later.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from waypoint.accounts.decorators import permission_required
from waypoint.accounts.http import acting_user
from waypoint.accounts.policies import Permission
from waypoint.assessments import selectors, services
from waypoint.assessments.forms import DecisionForm, DeclineForm
from waypoint.assessments.models import NeedsAssessment
from waypoint.assessments.rules import hna
from waypoint.careteam.selectors import contact_for_patient
from waypoint.core.errors import ValidationFailed
from waypoint.core.forms import NhsForm
from waypoint.core.views import form_page, form_service_call
from waypoint.registry.services import patient_open, patient_open_own

PAGES: list[str] = ["distress", *(d.code for d in hna.DOMAINS), "more", "check"]
DOMAINS = {d.code: d for d in hna.DOMAINS}
RATING = [("", "Not answered"), ("0", "0 – not a concern")] + [
    (str(i), f"{i}{' – the biggest concern' if i == 10 else ''}") for i in range(1, 11)
]
DISTRESS_CHOICES = [
    (str(i), f"{i}{' – no distress' if i == 0 else ' – extreme distress' if i == 10 else ''}")
    for i in range(11)
]


def _form(page: str, assessment: NeedsAssessment, data: object = None) -> forms.Form:
    form = forms.Form(data)  # type: ignore[arg-type]  # QueryDict or None
    answers = assessment.answers
    if page == "distress":
        form.fields[hna.DISTRESS] = forms.TypedChoiceField(
            choices=DISTRESS_CHOICES,
            coerce=int,
            required=False,
            widget=forms.RadioSelect(attrs={"class": "nhsuk-radios__input"}),
        )
    elif page in DOMAINS:
        for concern in DOMAINS[page].concerns:
            form.fields[concern.code] = forms.TypedChoiceField(
                label=concern.text,
                choices=RATING,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.Select(attrs={"class": "nhsuk-select"}),
            )
    elif page == "more":
        form.fields[hna.FREE_TEXT] = forms.CharField(
            required=False,
            max_length=4000,
            widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 5}),
        )
    for name in form.fields:
        if name in answers:
            form.initial[name] = answers[name]
    return form


def _urls(patient_id: int | None) -> tuple[str, dict[str, int]]:
    if patient_id is None:
        return "portal_assessment_page", {}
    return "assessment_page", {"patient_id": patient_id}


def _page_url(patient_id: int | None, page: str) -> str:
    name, kwargs = _urls(patient_id)
    return reverse(name, kwargs={**kwargs, "page": page})


def _resume_page(assessment: NeedsAssessment) -> str:
    if hna.DISTRESS not in assessment.answers:
        return "distress"
    for domain in hna.DOMAINS:
        if not any(c.code in assessment.answers for c in domain.concerns):
            return domain.code
    return "check"


def _run(request: HttpRequest, patient_id: int | None, page: str | None) -> HttpResponse:
    actor = acting_user(request)
    patient = patient_open_own(actor=acting_user(request)) if patient_id is None else None
    pid = patient.pk if patient is not None else patient_id
    assert pid is not None  # noqa: S101  # one of the two is given
    assessment = services.hna_open(actor=actor, patient_id=pid)
    if page is None:
        return redirect(_page_url(patient_id, _resume_page(assessment)))
    if page not in PAGES:
        raise Http404
    form = _form(page, assessment, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        finish = page == "check"
        answers = form.cleaned_data if form.is_valid() else {}
        if form.is_valid() or finish:
            try:
                services.hna_save(
                    actor=actor, assessment_id=assessment.pk, answers=answers, finish=finish
                )
            except ValidationFailed as exc:
                for field, message in exc.fields.items():
                    form.add_error(field if field in form.fields else None, message)
                status = 422
            else:
                if finish:
                    if patient_id is None:
                        messages.success(
                            request, "Thank you. Your answers are with your care team."
                        )
                        return redirect("portal_home")
                    messages.success(
                        request, "The assessment is recorded and the key worker can see it."
                    )
                    return redirect("assessments", patient_id=patient_id)
                if "save_and_leave" in request.POST:
                    if patient_id is None:
                        messages.success(
                            request, "Your answers are saved. Carry on whenever you are ready."
                        )
                        return redirect("portal_home")
                    messages.success(
                        request, "The answers are saved. Carry on with the person when ready."
                    )
                    return redirect("assessments", patient_id=patient_id)
                return redirect(_page_url(patient_id, PAGES[PAGES.index(page) + 1]))
        else:
            status = 422
        assessment.refresh_from_db()
    index = PAGES.index(page)
    result = hna.score(assessment.answers)
    people = patient or assessment.patient
    return render(
        request,
        "assessments/page.html",
        {
            "assessment": assessment,
            "page": page,
            "domain": DOMAINS.get(page),
            "form": form,
            "number": index + 1,
            "total": len(PAGES),
            "back": _page_url(patient_id, PAGES[index - 1]) if index else None,
            "patient_view": patient_id is None,
            "contact": contact_for_patient(people, day=timezone.localdate()),
            "score": result,
            "summary": _summary(assessment),
            "page_urls": {p: _page_url(patient_id, p) for p in PAGES},
        },
        status=status,
    )


def _summary(assessment: NeedsAssessment) -> list[tuple[str, str, list[tuple[str, int]]]]:
    """(page, title, [(concern, rating)...]) for the check page."""
    rows = []
    for domain in hna.DOMAINS:
        rated = [
            (c.text, int(v))
            for c in domain.concerns
            if isinstance(v := assessment.answers.get(c.code), int) and v > 0
        ]
        rows.append((domain.code, domain.title, rated))
    return rows


@permission_required(Permission.VIEW_OWN_RECORD)
def portal_assessment(request: HttpRequest, page: str | None = None) -> HttpResponse:
    return _run(request, None, page)


@permission_required(Permission.EDIT_TEAM_PATIENTS)
def clinician_page(request: HttpRequest, patient_id: int, page: str | None = None) -> HttpResponse:
    return _run(request, patient_id, page)


@permission_required(Permission.VIEW_TEAM_PATIENTS)
def overview(request: HttpRequest, patient_id: int) -> HttpResponse:
    """A person's assessments for their team: due or not, each one's distress and top concerns."""
    actor = acting_user(request)
    patient = patient_open(actor=actor, patient_id=patient_id)
    today = timezone.localdate()
    records = [
        (a, hna.score(a.answers) if a.status == "completed" else None)
        for a in selectors.assessments_of(patient)
    ]
    return render(
        request,
        "assessments/overview.html",
        {
            "patient": patient,
            "due": selectors.hna_due_for([patient.pk], today=today)[patient.pk],
            "records": records,
            "threshold": hna.DISTRESS_REFERRAL_THRESHOLD,
        },
    )


def _assessment_form_page(
    request: HttpRequest, form: NhsForm, patient_id: int, *, title: str, submit: str
) -> HttpResponse:
    patient = patient_open(actor=acting_user(request), patient_id=patient_id)
    return form_page(
        request,
        form,
        title=title,
        submit=submit,
        back_url=reverse("assessments", args=[patient.pk]),
        back_text="Back to needs assessments",
        caption=f"{patient.given_name} {patient.family_name}",
    )


@require_POST
@permission_required(Permission.EDIT_TEAM_PATIENTS)
def decide(request: HttpRequest, patient_id: int, assessment_id: int) -> HttpResponse:
    form = DecisionForm(request.POST)
    if form.is_valid() and form_service_call(
        request,
        form,
        lambda: services.psychosocial_decision_record(
            actor=acting_user(request),
            assessment_id=assessment_id,
            decision=form.cleaned_data["decision"],
        ),
        done="The decision is recorded.",
    ):
        return redirect("assessments", patient_id=patient_id)
    return _assessment_form_page(
        request,
        form,
        patient_id,
        title="Record the psychosocial referral decision",
        submit="Record the decision",
    )


@require_POST
@permission_required(Permission.EDIT_TEAM_PATIENTS)
def decline(request: HttpRequest, patient_id: int) -> HttpResponse:
    form = DeclineForm(request.POST)
    if form.is_valid() and form_service_call(
        request,
        form,
        lambda: services.hna_decline(
            actor=acting_user(request), patient_id=patient_id, reason=form.cleaned_data["reason"]
        ),
        done="Recorded that the person declined an assessment for now.",
    ):
        return redirect("assessments", patient_id=patient_id)
    return _assessment_form_page(
        request,
        form,
        patient_id,
        title="The person does not want an assessment now",
        submit="Record that it was declined",
    )

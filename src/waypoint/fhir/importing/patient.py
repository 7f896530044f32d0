"""Patient → a person in the registry: registered when new; for someone registered already, the
right to change their record checked, then linked, updated, or given their date of death."""

from __future__ import annotations

from waypoint.careteam.models import Team
from waypoint.careteam.selectors import teams_actor_may_register_into
from waypoint.core.errors import WaypointError
from waypoint.fhir.importing.context import ImportContext, PersonContext
from waypoint.fhir.mapping.inbound import EntryRef, PatientIn
from waypoint.fhir.mapping.issues import error, warning
from waypoint.fhir.models import ImportOutcome
from waypoint.registry import policies
from waypoint.registry.models import Patient
from waypoint.registry.services import IdentifierInput, patient_register, patient_update


class PatientWriter:
    """One per bundle: the team new people join is chosen once, for all of them."""

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self._team: tuple[int | None] | None = None  # the choice, once made

    def may_change(self, pin: PatientIn, existing: Patient) -> bool:
        actor = self.ctx.actor
        if actor is None or policies.can_edit_patient(actor, existing):
            return True
        self.ctx.add(
            error(
                "forbidden",
                "Patient: an NHS number or identifier in this resource belongs to a "
                "person whose record you cannot change; nothing in this bundle was "
                "imported.",
                pin.entry.path + ".identifier",
            )
        )
        return False

    def team(self, entry: EntryRef) -> int | None:
        """The team new people join: ``team_id`` (one the actor may register into), else the
        actor's only team."""
        if self._team is not None:
            return self._team[0]
        actor, team_id = self.ctx.actor, self.ctx.team_id
        chosen: int | None = None
        if actor is None:
            if team_id is not None and Team.objects.filter(pk=team_id).exists():
                chosen = team_id
        else:
            allowed = teams_actor_may_register_into(actor)
            if team_id is not None:
                chosen = team_id if allowed.filter(pk=team_id).exists() else None
            else:
                mine = list(allowed.values_list("pk", flat=True)[:2])
                chosen = mine[0] if len(mine) == 1 else None
        if chosen is None:
            self.ctx.add(
                error(
                    "required",
                    "Which team will care for new people? Give team (one of your teams)."
                    if team_id is None
                    else f"Team {team_id} is not a team you can register people into.",
                    entry.path,
                )
            )
        self._team = (chosen,)
        return chosen

    def register(self, pin: PatientIn) -> Patient | None:
        team_id = self.team(pin.entry)
        if team_id is None:
            return None
        try:
            patient = patient_register(
                actor=self.ctx.actor,
                given_name=pin.given_name,
                family_name=pin.family_name,
                birth_date=pin.birth_date,
                sex=pin.sex,
                nhs_number=pin.nhs_number or None,
                team_id=team_id,
                postcode=pin.postcode,
                address=pin.address,
                phone=pin.phone,
                email=pin.email,
                identifiers=[IdentifierInput(s, v) for s, v in pin.identifiers],
                reason="Imported from FHIR",
            )
        except WaypointError as exc:
            self.ctx.fail(pin.entry, exc, "registering the person")
            return None
        self.ctx.keep(pin.entry, patient, ImportOutcome.CREATED, "Patient", patient.pk)
        self.ctx.registered.add(patient.pk)
        return patient

    def record_death(self, pc: PersonContext) -> None:
        pin = pc.person.patient
        assert pin.died_on is not None  # noqa: S101  # the caller checks
        try:
            patient_update(
                actor=self.ctx.actor, patient=pc.patient, changes={"died_on": pin.died_on}
            )
        except WaypointError as exc:
            self.ctx.fail(pin.entry, exc, "recording the death")

    def update_existing(self, pc: PersonContext, *, previously_imported: bool) -> None:
        """A Patient resource imported before and changed since updates the demographics it
        carries; a first import for someone registered otherwise only adds a date of death (the
        one fact that must never wait) and reports the other differences."""
        pin, patient = pc.person.patient, pc.patient
        differs = _differences(pin, patient)
        changes: dict[str, object] = dict(differs) if previously_imported else {}
        if pin.died_on is not None and patient.died_on is None:
            changes["died_on"] = pin.died_on
        if not previously_imported and differs:
            self.ctx.add(
                warning(
                    "business-rule",
                    "Patient: matched a registered person whose details differ ("
                    + ", ".join(sorted(differs))
                    + "); Waypoint's record was kept. Check which is right.",
                    pin.entry.path,
                )
            )
        if not changes:
            pc.keep(pin.entry, ImportOutcome.LINKED, "Patient", patient.pk)
            return
        if self.ctx.actor is None:
            self.ctx.add(
                error(
                    "forbidden",
                    "Patient: updating a registered person needs --as USERNAME.",
                    pin.entry.path,
                )
            )
            return
        try:
            patient_update(actor=self.ctx.actor, patient=patient, changes=changes)
        except WaypointError as exc:
            self.ctx.fail(pin.entry, exc, "updating the person")
            return
        pc.keep(pin.entry, ImportOutcome.UPDATED, "Patient", patient.pk)


def _differences(pin: PatientIn, patient: Patient) -> dict[str, object]:
    """The demographics the resource gives (not blank) that differ from the record, ignoring
    case."""
    incoming: dict[str, object] = {
        "given_name": pin.given_name,
        "family_name": pin.family_name,
        "birth_date": pin.birth_date,
        "sex": pin.sex,
        "postcode": pin.postcode,
        "phone": pin.phone,
        "email": pin.email,
    }
    return {
        k: v
        for k, v in incoming.items()
        if v not in ("", None) and str(getattr(patient, k)).upper() != str(v).upper()
    }

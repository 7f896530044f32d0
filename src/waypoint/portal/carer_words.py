"""How carers read on the person's "who has looked at your record": named as the person knows
them, with what they opened, rather than as an account and an audit code."""

from __future__ import annotations

from dataclasses import dataclass

from waypoint.audit.models import AuditAction, AuditEvent
from waypoint.registry.models import Patient
from waypoint.registry.services.proxies import ProxyPurpose, proxies_for_patient
from waypoint.registry.services.proxy_ending import PROXY_OBJECT

# How a carer's visit reads on "who has looked at your record": what they opened, in words.
PURPOSE_WORDS: dict[str, str] = {
    ProxyPurpose.CONTACTS: "your key worker and your team's numbers",
    ProxyPurpose.APPOINTMENTS: "your meetings and support referrals",
    ProxyPurpose.RESOURCE_PACK: "the resource pack",
    ProxyPurpose.REPORT_SYMPTOMS: "the symptom check, for you",
    ProxyPurpose.TIMELINE: "your care so far",
}


@dataclass(frozen=True)
class AccessRow:
    event: AuditEvent
    who: str
    what: str  # blank: the page words it from the event itself


def access_rows(patient: Patient, events: list[AuditEvent]) -> list[AccessRow]:
    """Name carers on the person's access list as the person knows them ("Sam Patel, your
    daughter (carer)"), and what they opened, rather than as an account and a code."""
    relationships = {p.carer_id: p.relationship for p in proxies_for_patient(patient) if p.carer_id}
    rows = []
    for event in events:
        if event.actor is None or event.actor_id not in relationships:
            rows.append(AccessRow(event, "", ""))
            continue
        who = f"{event.actor.display_name}, your {relationships[event.actor_id]} (carer)"
        what = ""
        purpose = event.detail.rpartition(": ")[2] if event.object_type == PROXY_OBJECT else ""
        if event.action == AuditAction.VIEW and purpose in PURPOSE_WORDS:
            what = f"Looked at {PURPOSE_WORDS[purpose]}"
        rows.append(AccessRow(event, who, what))
    return rows

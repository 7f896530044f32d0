from __future__ import annotations

from django import template

from waypoint.triage.rules.vocabulary import SYMPTOMS

register = template.Library()


@register.filter
def symptom_label(code: str) -> str:
    """A symptom code in the clinician's words ("limb_weakness" reads "Limb weakness")."""
    symptom = SYMPTOMS.get(code)
    return symptom.label if symptom else code.replace("_", " ").capitalize()

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from waypoint.audit.models import AuditEvent
from waypoint.fhir.models import ImportedResource
from waypoint.registry.models import (
    Biopsy,
    MetastaticSite,
    Patient,
    PatientIdentifier,
    PrimaryDiagnosis,
    ReceptorResult,
    SecondaryDiagnosis,
)
from waypoint.timeline.models import ProgressionEvent, ResponseAssessment
from waypoint.treatment.models import TreatmentCycle, TreatmentLine

EXTERNAL = Path(__file__).parent / "fixtures" / "external"
MODELS = (
    Patient,
    PatientIdentifier,
    PrimaryDiagnosis,
    SecondaryDiagnosis,
    MetastaticSite,
    ReceptorResult,
    Biopsy,
    TreatmentLine,
    TreatmentCycle,
    ProgressionEvent,
    ResponseAssessment,
    ImportedResource,
    AuditEvent,
)


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXTERNAL / name).read_text(encoding="utf-8"))
    return data


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}

"""Registry writes: each checks the policy, validates, saves and audits in one transaction.

``patients`` registers, finds, opens and changes records (and records a death); ``diagnoses``
the primary and secondary diagnoses; ``carers`` consented carers. Every public name is offered
here too, so callers import from ``waypoint.registry.services``. Each ``*_errors`` function is
the one check of its record's fields, shared by the forms, the API and the imports.
"""

from waypoint.registry.services.carers import carer_contact_add, carer_errors
from waypoint.registry.services.diagnoses import (
    SiteInput,
    primary_diagnosis_errors,
    primary_diagnosis_record,
    secondary_diagnosis_errors,
    secondary_diagnosis_record,
)
from waypoint.registry.services.patients import (
    CLINICIAN_EDITABLE,
    EMAIL_INVALID,
    PATIENT_EDITABLE,
    PATIENT_OBJECT,
    IdentifierInput,
    check_choice,
    check_email,
    check_not_future,
    patient_errors,
    patient_get_for_update,
    patient_open,
    patient_open_own,
    patient_register,
    patient_search,
    patient_update,
    require_edit,
)

__all__ = [
    "CLINICIAN_EDITABLE",
    "EMAIL_INVALID",
    "PATIENT_EDITABLE",
    "PATIENT_OBJECT",
    "IdentifierInput",
    "SiteInput",
    "carer_contact_add",
    "carer_errors",
    "check_choice",
    "check_email",
    "check_not_future",
    "patient_errors",
    "patient_get_for_update",
    "patient_open",
    "patient_open_own",
    "patient_register",
    "patient_search",
    "patient_update",
    "primary_diagnosis_errors",
    "primary_diagnosis_record",
    "require_edit",
    "secondary_diagnosis_errors",
    "secondary_diagnosis_record",
]

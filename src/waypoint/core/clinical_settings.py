"""The clinical deadlines that apps below the care standards apply too, each from its one setting.

The care standards' deadlines (``WAYPOINT_STANDARD_<NAME>_DAYS``, gathered in
``settings.WAYPOINT_STANDARDS_DEADLINES``) are the single source: the caseload, the unassigned
worklist and the needs-assessment due rule read the same number here, so a person is never
overdue on one page and still within the deadline on another. These accessors live in core
because careteam and assessments sit below standards and may not import it.
"""

from __future__ import annotations

from django.conf import settings


def key_worker_deadline_days() -> int:
    """KW1: a named key worker within T0 + N days (docs/design/care-standards.md; *proposed* 14,
    NICE CG81 1.1.2 gives no number)."""
    return settings.WAYPOINT_STANDARDS_DEADLINES["key_worker_days"]


def needs_assessment_offer_days() -> int:
    """HNA1, HNA2: a needs assessment completed or declined within N days of each trigger
    (docs/design/care-standards.md, NICE CG81 1.1.1; *proposed* 31). The due rule applies the
    same deadline to requests and routine reviews."""
    return settings.WAYPOINT_STANDARDS_DEADLINES["hna_days"]

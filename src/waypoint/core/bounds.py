"""The ranges every number and date sent to Waypoint must fall in, checked where input is parsed.

Python's integers and dates are wider than what the database and the time-zone arithmetic can
hold: a page number of 2^63 overflows PostgreSQL's OFFSET, a cycle number above 32,767 its
``smallint``, and a date of 0001-01-01 overflows when it is moved into local time. Out-of-range
values are refused as invalid input (422 in the API, an error beside the field on pages) instead
of failing deep inside a query.

* dates: 1900-01-01 to 2100-12-31 (a living person's birth date to the furthest planned review);
* page numbers: 1 to 100,000 (at 10 a page, a million rows: more than any list Waypoint shows);
* FHIR ``_offset``: 0 to 10,000,000;
* small counts stored as ``smallint`` (cycle numbers): up to 32,767.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from pydantic import AfterValidator

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
MAX_PAGE = 100_000
MAX_OFFSET = 10_000_000
SMALLINT_MAX = 32_767

DATE_RANGE_MESSAGE = (
    f"Give a date between {EARLIEST_DATE:%d %B %Y} and {LATEST_DATE:%d %B %Y}."
).replace(" 0", " ")


def date_in_range(value: dt.date | dt.datetime) -> bool:
    day = value.date() if isinstance(value, dt.datetime) else value
    return EARLIEST_DATE <= day <= LATEST_DATE


def _checked_date(value: dt.date) -> dt.date:
    if not date_in_range(value):
        raise ValueError(DATE_RANGE_MESSAGE)
    return value


def _checked_datetime(value: dt.datetime) -> dt.datetime:
    if not date_in_range(value):
        raise ValueError(DATE_RANGE_MESSAGE)
    return value


# API schemas and query parameters: use these instead of ``dt.date`` and ``dt.datetime`` for input.
InputDate = Annotated[dt.date, AfterValidator(_checked_date)]
InputDateTime = Annotated[dt.datetime, AfterValidator(_checked_datetime)]


def validate_date_in_range(value: dt.date | dt.datetime) -> None:
    """A Django form-field validator with the same range."""
    if not date_in_range(value):
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_out_of_range")

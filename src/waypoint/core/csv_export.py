"""The one place Waypoint writes CSV (tests/core/test_one_csv_writer.py keeps it that way).

A CSV leaves Waypoint and is opened in a spreadsheet, which runs any cell that starts like a
formula. Team and organisation names, and anything else a person typed, reach these files, so
every text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading single quote (OWASP, "CSV Injection"): the spreadsheet shows the text and runs nothing.
Numbers are written as numbers, so a real negative number stays a number; only text is changed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """The cell as it is safe to write: text that a spreadsheet would run, quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class CsvWriter:
    """``csv.writer`` with every cell neutralised."""

    def __init__(self, out: HttpResponse) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[object], /) -> None:
        self._writer.writerow([neutralise(value) for value in row])


def csv_download(filename: str) -> tuple[HttpResponse, CsvWriter]:
    """An attachment response named ``filename`` (a fixed name chosen by the view, never one a
    person typed) and the writer to fill it with."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response, CsvWriter(response)

"""Every CSV goes through ``waypoint.core.csv_export``, the one writer that neutralises formula
cells; a module writing CSV any other way would skip that."""

from __future__ import annotations

import re
from pathlib import Path

import waypoint

SRC = Path(waypoint.__file__).parent
HELPER = SRC / "core" / "csv_export.py"
OTHER_WRITERS = re.compile(
    r"csv\.(writer|DictWriter)\s*\(|from\s+csv\s+import\s+[^\n]*\b(writer|DictWriter)\b|text/csv"
)


def test_no_module_but_the_helper_writes_csv() -> None:
    offenders = [
        f"{path.relative_to(SRC)}:{n}"
        for path in sorted(SRC.rglob("*.py"))
        if path != HELPER
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if OTHER_WRITERS.search(line)
    ]
    assert offenders == [], "write CSV through waypoint.core.csv_export.csv_download"


def test_the_check_would_see_a_writer() -> None:
    assert OTHER_WRITERS.search("    writer = csv.writer(response)")
    assert OTHER_WRITERS.search("from csv import DictWriter")
    assert OTHER_WRITERS.search('HttpResponse(content_type="text/csv")')
    assert not OTHER_WRITERS.search("reader = csv.DictReader(io.StringIO(text))")

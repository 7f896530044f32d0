"""Import people into the registry from a CSV file: all or nothing.

Columns (a header row is required; order does not matter; blank cells are empty values):

===========================  ======================================================================
column                       meaning
===========================  ======================================================================
nhs_number                   spaces allowed; modulus-11 checked
hospital_number              kept as an identifier in ``--identifier-system``; each row needs
                             this, the NHS number, or both
given_name, family_name      required
birth_date                   required; YYYY-MM-DD or DD/MM/YYYY
sex                          female, male, other or unknown
postcode, phone, email       optional
team                         the team's name, as in Waypoint
primary_diagnosed_on         optional, with primary_laterality, primary_er, primary_pr,
                             primary_her2 (all five or none)
secondary_diagnosed_on       optional, with presentation (de_novo / recurrence) and sites
sites                        site codes separated by semicolons, e.g. ``bone;liver`` (not
                             ``other``, which needs a body site the file cannot carry)
met_er, met_pr, met_her2     metastatic receptor status; receptors_assessed_on required with it
biopsy_decision              done / not_feasible / not_decided; biopsy_not_feasible_reason
key_worker                   optional username of the named key worker
===========================  ======================================================================

Every row is checked before anything is written and every problem is reported with its line
(the header is line 1) and field. The values are checked by the registry services' own checks
(``patient_errors``, ``primary_diagnosis_errors``, ``secondary_diagnosis_errors``), so a file is
refused for what a form or the API would refuse, with the same words; the importer adds only
what is about the file (columns, cells, team and key worker names, repeated people).

Each row needs an NHS number or a hospital number: that is how a second import recognises the
person. A person already registered with the same details is left unchanged, so importing a
file twice changes nothing; one registered with different details is an error, never an
overwrite, because the file cannot tell which side is right.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from waypoint.accounts.models import Role, User
from waypoint.careteam.models import KeyWorkerAssignment, Team, TeamMembership
from waypoint.careteam.services import keyworker_assign
from waypoint.core.errors import ValidationFailed
from waypoint.registry.models import (
    BiopsyDecision,
    Patient,
    PatientIdentifier,
    SecondaryDiagnosis,
)
from waypoint.registry.rules.nhs_number import InvalidNhsNumber, normalise_nhs_number
from waypoint.registry.services import (
    IdentifierInput,
    SiteInput,
    patient_errors,
    patient_register,
    primary_diagnosis_errors,
    primary_diagnosis_record,
    secondary_diagnosis_errors,
    secondary_diagnosis_record,
)

DEFAULT_IDENTIFIER_SYSTEM = "urn:waypoint:hospital-number"
REQUIRED_COLUMNS = ("given_name", "family_name", "birth_date", "sex", "team")
KNOWN_COLUMNS = frozenset(
    {
        *REQUIRED_COLUMNS,
        "nhs_number",
        "hospital_number",
        "postcode",
        "phone",
        "email",
        "primary_diagnosed_on",
        "primary_laterality",
        "primary_er",
        "primary_pr",
        "primary_her2",
        "secondary_diagnosed_on",
        "presentation",
        "sites",
        "met_er",
        "met_pr",
        "met_her2",
        "receptors_assessed_on",
        "biopsy_decision",
        "biopsy_not_feasible_reason",
        "key_worker",
    }
)
PRIMARY_COLUMNS = ("primary_laterality", "primary_er", "primary_pr", "primary_her2")
IMPORT_REASON = "Imported from registry file"


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        if self.line == 0:  # the file as a whole
            return f"{self.field}: {self.reason}"
        return f"line {self.line}, {self.field}: {self.reason}"


@dataclass
class ImportReport:
    created: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s); nothing was imported")
        self.errors = errors


@dataclass
class _Row:
    line: int
    values: dict[str, str]
    nhs_number: str = ""
    birth_date: dt.date | None = None
    team: Team | None = None
    key_worker: User | None = None
    primary_on: dt.date | None = None
    secondary_on: dt.date | None = None
    assessed_on: dt.date | None = None
    existing: Patient | None = None
    extra_cells: bool = False

    def get(self, name: str) -> str:
        return self.values.get(name, "").strip()


def _parse_date(text: str) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007  # a date only
        except ValueError:
            continue
    return None


def read_rows(path: Path) -> tuple[list[str], list[_Row]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(
            [RowError(0, "file", f"not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV")]
        ) from exc
    except OSError as exc:
        raise ImportFailed([RowError(0, "file", f"cannot be read ({exc.strerror})")]) from exc
    reader = csv.DictReader(io.StringIO(text))
    rows = []
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        for values in reader:
            extra = [v for v in values.pop(None, None) or [] if v.strip()]  # past the header
            if not extra and not any((v or "").strip() for v in values.values()):
                continue  # blank line, or only commas
            rows.append(
                _Row(
                    line=reader.line_num,
                    values={k: v or "" for k, v in values.items()},
                    extra_cells=bool(extra),
                )
            )
    except csv.Error as exc:
        raise ImportFailed([RowError(reader.line_num, "file", f"not valid CSV ({exc})")]) from exc
    return header, rows


def _date_cell(row: _Row, column: str, errors: list[RowError]) -> dt.date | None:
    """The cell's date, or None; a cell that is filled but not a date is reported."""
    value = _parse_date(row.get(column))
    if row.get(column) and value is None:
        errors.append(RowError(row.line, column, "not a date (use YYYY-MM-DD or DD/MM/YYYY)"))
    return value


def _all_or_none(row: _Row, columns: tuple[str, ...], what: str, errors: list[RowError]) -> bool:
    """True when any of a group's columns is filled; each missing one is then reported."""
    if not any(row.get(c) for c in columns):
        return False
    for column in columns:
        if not row.get(column):
            errors.append(RowError(row.line, column, f"required with {what}"))
    return True


def _merge(
    found: list[RowError], line: int, fields: dict[str, str], columns: dict[str, str]
) -> None:
    """Add a service's findings (by field) to a row's, under the file's column names. A column
    the file checks already reported keeps that report (it is about the cell as written, such
    as "not a date"); one finding in several fields of a column (``sites.0``, ``sites.1``)
    reads once."""
    reported = {e.field for e in found}
    for name, reason in fields.items():
        base = name.partition(".")[0]
        error = RowError(line, columns.get(base, base), reason)
        if error.field not in reported and error not in found:
            found.append(error)


def _stand_in(day: dt.date | None) -> dt.date:
    """A date cell that is blank or unreadable is reported already; the earliest date stands in
    for it so that the record's other checks still run (what they find about the stand-in is
    under that column, and so not reported again)."""
    return day or dt.date.min


def _validate_row(
    row: _Row, teams: dict[str, list[Team]], system: str, errors: list[RowError]
) -> None:
    """The file's own checks (cells, columns, names of teams and key workers), then the
    registry services' checks of the record each row would become, the ones every form and
    API call goes through."""
    found: list[RowError] = []
    _check_cells(row, teams, found)
    _find_existing(row, system, found)
    _check_record(row, system, found)
    existing = row.existing
    if existing is not None:
        reported = {e.field for e in found}
        differ = f"already registered with different details (record {existing.pk})"
        found.extend(
            RowError(row.line, column, differ)
            for column in _differences(row, existing, system)
            if column not in reported
        )
    errors.extend(found)


def _check_cells(row: _Row, teams: dict[str, list[Team]], found: list[RowError]) -> None:
    line = row.line
    if row.extra_cells:
        found.append(
            RowError(line, "row", "more cells than the header has columns (a stray comma?)")
        )
    for column in REQUIRED_COLUMNS:
        if not row.get(column):
            found.append(RowError(line, column, "required"))
    if not row.get("nhs_number") and not row.get("hospital_number"):
        found.append(
            RowError(
                line,
                "nhs_number",
                "give an NHS number or a hospital number, so a second import recognises the person",
            )
        )
    if row.get("nhs_number"):
        with suppress(InvalidNhsNumber):  # the service's check reports it
            row.nhs_number = normalise_nhs_number(row.get("nhs_number"))
    row.birth_date = _date_cell(row, "birth_date", found)
    if row.get("team"):
        matches = teams.get(row.get("team"), [])
        if len(matches) == 1:
            row.team = matches[0]
        elif matches:
            found.append(
                RowError(
                    line,
                    "team",
                    f"{len(matches)} organisations have a team called {row.get('team')!r}",
                )
            )
        else:
            found.append(RowError(line, "team", f"no team called {row.get('team')!r}"))
    if _all_or_none(row, ("primary_diagnosed_on", *PRIMARY_COLUMNS), "a primary diagnosis", found):
        row.primary_on = _date_cell(row, "primary_diagnosed_on", found)
    secondary_columns = ("secondary_diagnosed_on", "presentation", "sites")
    if _all_or_none(row, secondary_columns, "a secondary diagnosis", found):
        row.secondary_on = _date_cell(row, "secondary_diagnosed_on", found)
        if "other" in _sites(row):
            found.append(
                RowError(line, "sites", "'other' needs a body site, which a file cannot carry")
            )
        row.assessed_on = _date_cell(row, "receptors_assessed_on", found)
    if row.get("key_worker"):
        row.key_worker = User.objects.filter(
            username=row.get("key_worker"), role=Role.KEY_WORKER, is_active=True
        ).first()
        if row.key_worker is None:
            found.append(RowError(line, "key_worker", "no active key worker with that username"))
        elif (
            row.team is not None
            and not TeamMembership.objects.filter(user=row.key_worker, team=row.team).exists()
        ):
            found.append(RowError(line, "key_worker", "not a member of the person's team"))


def _check_record(row: _Row, system: str, found: list[RowError]) -> None:
    """The services' checks of the person and diagnoses the row describes."""
    hospital = row.get("hospital_number")
    _merge(
        found,
        row.line,
        patient_errors(
            given_name=row.get("given_name"),
            family_name=row.get("family_name"),
            birth_date=row.birth_date,
            sex=row.get("sex"),
            nhs_number=row.get("nhs_number") or None,
            email=row.get("email"),
            identifiers=[IdentifierInput(system, hospital)] if hospital else [],
            exclude_pk=row.existing.pk if row.existing else None,
        ),
        {"identifiers": "hospital_number"},
    )
    person = Patient(birth_date=_stand_in(row.birth_date))  # as the file describes them
    if row.get("primary_diagnosed_on") or any(row.get(c) for c in PRIMARY_COLUMNS):
        _merge(
            found,
            row.line,
            primary_diagnosis_errors(
                patient=person,
                diagnosed_on=_stand_in(row.primary_on),
                laterality=row.get("primary_laterality"),
                er=row.get("primary_er"),
                pr=row.get("primary_pr"),
                her2=row.get("primary_her2"),
            ),
            {
                "diagnosed_on": "primary_diagnosed_on",
                "laterality": "primary_laterality",
                "er": "primary_er",
                "pr": "primary_pr",
                "her2": "primary_her2",
            },
        )
    if any(row.get(c) for c in ("secondary_diagnosed_on", "presentation", "sites")):
        _merge(
            found,
            row.line,
            secondary_diagnosis_errors(
                patient=person,
                diagnosed_on=_stand_in(row.secondary_on),
                presentation=row.get("presentation"),
                sites=[SiteInput(code) for code in _sites(row)],
                er=row.get("met_er"),
                pr=row.get("met_pr"),
                her2=row.get("met_her2"),
                receptors_assessed_on=row.assessed_on,
                biopsy_decision=row.get("biopsy_decision") or BiopsyDecision.NOT_DECIDED,
                biopsy_not_feasible_reason=row.get("biopsy_not_feasible_reason"),
            ),
            {
                "diagnosed_on": "secondary_diagnosed_on",
                "er": "met_er",
                "pr": "met_pr",
                "her2": "met_her2",
                "patient": "row",
            },
        )


def _sites(row: _Row) -> list[str]:
    return [s.strip() for s in row.get("sites").split(";") if s.strip()]


def _find_existing(row: _Row, system: str, errors: list[RowError]) -> None:
    by_nhs = Patient.objects.filter(nhs_number=row.nhs_number).first() if row.nhs_number else None
    by_hospital = None
    if row.get("hospital_number"):
        identifier = (
            PatientIdentifier.objects.filter(system=system, value=row.get("hospital_number"))
            .select_related("patient")
            .first()
        )
        by_hospital = identifier.patient if identifier else None
    if by_nhs and by_hospital and by_nhs.pk != by_hospital.pk:
        errors.append(
            RowError(
                row.line,
                "hospital_number",
                f"belongs to record {by_hospital.pk}, but the NHS number to record {by_nhs.pk}",
            )
        )
        return
    row.existing = by_nhs or by_hospital


def _differences(row: _Row, existing: Patient, system: str) -> list[str]:
    """Columns where the file disagrees with the record.

    A blank optional cell says nothing, so it never disagrees; a diagnosis in the file must match
    one on the record (a record may have gained more since the file was made).
    """
    differ: list[str] = []

    def compare(column: str, stored: object, given: object) -> None:
        if given not in ("", None) and given != stored:
            differ.append(column)

    compare("given_name", existing.given_name, row.get("given_name"))
    compare("family_name", existing.family_name, row.get("family_name"))
    compare("birth_date", existing.birth_date, row.birth_date)
    compare("sex", existing.sex, row.get("sex"))
    compare("team", existing.team_id, row.team.pk if row.team else None)
    compare("nhs_number", existing.nhs_number, row.nhs_number)
    compare("postcode", existing.postcode, row.get("postcode").upper())
    compare("phone", existing.phone, row.get("phone"))
    compare("email", existing.email, row.get("email"))
    hospital = row.get("hospital_number")
    if hospital and not existing.identifiers.filter(system=system, value=hospital).exists():
        differ.append("hospital_number")
    if (
        row.primary_on is not None
        and not existing.primaries.filter(
            diagnosed_on=row.primary_on,
            laterality=row.get("primary_laterality"),
            er=row.get("primary_er"),
            pr=row.get("primary_pr"),
            her2=row.get("primary_her2"),
        ).exists()
    ):
        differ.append("primary_diagnosed_on")
    if row.secondary_on is not None and not any(
        _secondary_matches(row, secondary)
        for secondary in existing.secondaries.filter(diagnosed_on=row.secondary_on)
    ):
        differ.append("secondary_diagnosed_on")
    if (
        row.key_worker is not None
        and not existing.key_worker_assignments.filter(key_worker=row.key_worker).exists()
    ):
        differ.append("key_worker")
    return differ


def _secondary_matches(row: _Row, secondary: SecondaryDiagnosis) -> bool:
    return (
        secondary.presentation == row.get("presentation")
        and sorted(s.site for s in secondary.sites.all()) == sorted(_sites(row))
        and (secondary.er, secondary.pr, secondary.her2)
        == (row.get("met_er"), row.get("met_pr"), row.get("met_her2"))
        and secondary.receptors_assessed_on == row.assessed_on
        and secondary.biopsy_decision == (row.get("biopsy_decision") or BiopsyDecision.NOT_DECIDED)
        and secondary.biopsy_not_feasible_reason == row.get("biopsy_not_feasible_reason")
    )


def _duplicates_within(rows: list[_Row], errors: list[RowError]) -> None:
    seen_nhs: dict[str, int] = {}
    seen_hospital: dict[str, int] = {}
    for row in rows:
        if row.nhs_number:
            if row.nhs_number in seen_nhs:
                errors.append(
                    RowError(
                        row.line,
                        "nhs_number",
                        f"same NHS number as line {seen_nhs[row.nhs_number]}",
                    )
                )
            seen_nhs.setdefault(row.nhs_number, row.line)
        hospital = row.get("hospital_number")
        if hospital:
            if hospital in seen_hospital:
                errors.append(
                    RowError(
                        row.line,
                        "hospital_number",
                        f"same hospital number as line {seen_hospital[hospital]}",
                    )
                )
            seen_hospital.setdefault(hospital, row.line)


def _write(row: _Row, system: str) -> None:
    assert row.team is not None and row.birth_date is not None  # noqa: S101  # validated
    identifiers = (
        [IdentifierInput(system, row.get("hospital_number"))] if row.get("hospital_number") else []
    )
    patient = patient_register(
        actor=None,
        nhs_number=row.nhs_number or None,
        given_name=row.get("given_name"),
        family_name=row.get("family_name"),
        birth_date=row.birth_date,
        sex=row.get("sex"),
        team_id=row.team.pk,
        postcode=row.get("postcode"),
        phone=row.get("phone"),
        email=row.get("email"),
        identifiers=identifiers,
        reason=IMPORT_REASON,
    )
    if row.primary_on is not None:
        primary_diagnosis_record(
            actor=None,
            patient=patient,
            diagnosed_on=row.primary_on,
            laterality=row.get("primary_laterality"),
            er=row.get("primary_er"),
            pr=row.get("primary_pr"),
            her2=row.get("primary_her2"),
        )
    if row.secondary_on is not None:
        secondary_diagnosis_record(
            actor=None,
            patient=patient,
            diagnosed_on=row.secondary_on,
            presentation=row.get("presentation"),
            sites=[SiteInput(code) for code in _sites(row)],
            er=row.get("met_er"),
            pr=row.get("met_pr"),
            her2=row.get("met_her2"),
            receptors_assessed_on=row.assessed_on,
            biopsy_decision=row.get("biopsy_decision") or BiopsyDecision.NOT_DECIDED,
            biopsy_not_feasible_reason=row.get("biopsy_not_feasible_reason"),
        )
    if (
        row.key_worker is not None
        and not KeyWorkerAssignment.objects.filter(patient=patient, ended_at__isnull=True).exists()
    ):
        keyworker_assign(
            actor=None, patient=patient, key_worker_id=row.key_worker.pk, reason=IMPORT_REASON
        )


def import_registry_file(
    path: Path, *, identifier_system: str = DEFAULT_IDENTIFIER_SYSTEM
) -> ImportReport:
    """Validate every row, then write them all in one transaction, or write nothing."""
    header, rows = read_rows(path)
    errors: list[RowError] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    for column in missing:
        errors.append(RowError(1, column, "column missing from the header"))
    for index, column in enumerate(header):
        if column not in KNOWN_COLUMNS:
            errors.append(RowError(1, column, "unknown column"))
        elif column in header[:index]:
            errors.append(RowError(1, column, "column appears twice"))
    if errors:
        raise ImportFailed(errors)
    teams: dict[str, list[Team]] = {}
    for team in Team.objects.all():
        teams.setdefault(team.name, []).append(team)
    for row in rows:
        _validate_row(row, teams, identifier_system, errors)
    _duplicates_within(rows, errors)
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.line, e.field)))
    report = ImportReport()
    with transaction.atomic():
        for row in rows:
            if row.existing is not None:
                report.unchanged += 1
                continue
            try:
                _write(row, identifier_system)
            except ValidationFailed as exc:
                failures = [RowError(row.line, f, m) for f, m in exc.fields.items()] or [
                    RowError(row.line, "row", exc.message)
                ]
                raise ImportFailed(failures) from exc
            report.created += 1
    return report

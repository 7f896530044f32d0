from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from waypoint.careteam.models import KeyWorkerAssignment
from waypoint.core.testing import World
from waypoint.registry.models import Patient, PatientIdentifier, SecondaryDiagnosis

HEADER = (
    "nhs_number,hospital_number,given_name,family_name,birth_date,sex,postcode,team,"
    "primary_diagnosed_on,primary_laterality,primary_er,primary_pr,primary_her2,"
    "secondary_diagnosed_on,presentation,sites,met_er,met_pr,met_her2,receptors_assessed_on,"
    "biopsy_decision,biopsy_not_feasible_reason,key_worker"
)
GOOD = [
    "943 476 5919,H100,Nia,Jones,1971-03-02,female,LS1 4AP,Breast Team A,"
    "2018-05-01,left,positive,positive,negative,2026-10-02,recurrence,bone;liver,"
    "positive,negative,low,2026-10-09,done,,kw",
    ",H101,Ola,Ade,14/07/1958,female,,Breast Team B,,,,,,2026-09-15,de_novo,lung,,,,,"
    "not_feasible,Too unwell for a procedure,",
    "9000000009,,Pat,Quinn,1980-01-01,female,,Breast Team A,,,,,,,,,,,,,,,",
]


def _write(tmp_path: Path, rows: list[str], header: str = HEADER) -> Path:
    path = tmp_path / "registry.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _import(path: Path) -> str:
    out = StringIO()
    call_command("import_registry", str(path), stdout=out, stderr=out)
    return out.getvalue()


def test_a_good_file_lands_in_the_registry(world: World, tmp_path: Path) -> None:
    before = Patient.objects.count()
    assert "3 created, 0 unchanged" in _import(_write(tmp_path, GOOD))
    assert Patient.objects.count() == before + 3
    nia = Patient.objects.get(nhs_number="9434765919")
    assert nia.metastatic_diagnosed_on is not None and str(nia.metastatic_diagnosed_on) == (
        "2026-10-02"
    )
    secondary = SecondaryDiagnosis.objects.get(patient=nia)
    assert [s.site for s in secondary.sites.all()] == ["bone", "liver"]
    assert (secondary.er, secondary.her2) == ("positive", "low")
    assert KeyWorkerAssignment.objects.get(patient=nia, ended_at=None).key_worker == (
        world.key_worker
    )
    ola = PatientIdentifier.objects.get(value="H101").patient
    assert ola.nhs_number is None
    assert ola.secondaries.get().biopsy_not_feasible_reason == "Too unwell for a procedure"


def test_importing_the_same_file_twice_changes_nothing(world: World, tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    _import(path)
    counts = (Patient.objects.count(), SecondaryDiagnosis.objects.count())
    assert "0 created, 3 unchanged" in _import(path)
    assert (Patient.objects.count(), SecondaryDiagnosis.objects.count()) == counts


def test_every_bad_row_is_reported_and_nothing_is_written(world: World, tmp_path: Path) -> None:
    bad = [
        GOOD[0],
        "9434765918,,Bad,Check,1970-01-01,female,,Breast Team A,,,,,,,,,,,,,,,",
        "9434765919,,Dup,Number,1970-01-01,female,,Breast Team A,,,,,,,,,,,,,,,",
        ",,Bad,Date,1970-02-30,female,,Breast Team A,,,,,,,,,,,,,,,",
        ",,Bad,Site,1970-01-01,female,,Breast Team A,,,,,,2026-10-01,recurrence,bone;spleen,,,,,,,",
        ",,No,Team,1970-01-01,female,,Nowhere Team,,,,,,,,,,,,,,,",
        ",,No,Reason,1970-01-01,female,,Breast Team A,,,,,,2026-10-01,de_novo,bone,,,,,"
        "not_feasible,,",
        ",,Future,Born,2999-01-01,female,,Breast Team A,,,,,,,,,,,,,,,",
    ]
    before = Patient.objects.count()
    with pytest.raises(CommandError, match="nothing was imported") as failure:
        out = StringIO()
        call_command("import_registry", str(_write(tmp_path, bad)), stdout=out, stderr=out)
    report = out.getvalue()
    for expected in (
        "line 3, nhs_number: This is not a valid NHS number",
        "line 4, nhs_number: same NHS number as line 2",
        "line 5, birth_date: not a date",
        "line 6, sites: unknown site 'spleen'",
        "line 7, team: no team called 'Nowhere Team'",
        "line 8, biopsy_not_feasible_reason: say why",
        "line 9, birth_date: cannot be in the future",
    ):
        assert expected in report, report
    assert "7 problem(s)" in str(failure.value)
    assert Patient.objects.count() == before


def test_a_changed_reimport_is_refused(world: World, tmp_path: Path) -> None:
    _import(_write(tmp_path, GOOD))
    changed = [GOOD[0].replace("Nia,Jones", "Nia,Smith")]
    with pytest.raises(CommandError):
        out = StringIO()
        call_command("import_registry", str(_write(tmp_path, changed)), stdout=out, stderr=out)
    assert "already registered with different details" in out.getvalue()
    assert Patient.objects.filter(family_name="Smith").count() == 0


def test_missing_and_unknown_columns_are_reported(world: World, tmp_path: Path) -> None:
    path = _write(tmp_path, ["Nia,1971-03-02"], header="given_name,birth_dte")
    with pytest.raises(CommandError):
        out = StringIO()
        call_command("import_registry", str(path), stdout=out, stderr=out)
    report = out.getvalue()
    assert "line 1, family_name: column missing" in report
    assert "line 1, birth_dte: unknown column" in report


def test_a_file_that_is_not_utf8_is_refused_clearly(world: World, tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (HEADER + "\n,,Zoë,Brontë,1970-01-01,female,,Breast Team A\n").encode("latin-1")
    )
    with pytest.raises(CommandError):
        out = StringIO()
        call_command("import_registry", str(path), stdout=out, stderr=out)
    assert "not UTF-8" in out.getvalue()


def test_a_byte_order_mark_and_blank_lines_are_accepted(world: World, tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_text("\ufeff" + HEADER + "\n\n" + GOOD[2] + "\n\n", encoding="utf-8")
    assert "1 created" in _import(path)

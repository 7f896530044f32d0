from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from tests.world import World

from waypoint.careteam.models import KeyWorkerAssignment
from waypoint.careteam.services import organisation_create, team_create
from waypoint.registry.forms import PatientForm
from waypoint.registry.models import Patient, PatientIdentifier, SecondaryDiagnosis
from waypoint.workspace.registry_import import ImportFailed, import_registry_file

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


def _refused(path: Path) -> str:
    """The report of an import that must fail, after checking it wrote nothing."""
    before = (Patient.objects.count(), SecondaryDiagnosis.objects.count())
    out = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_registry", str(path), stdout=out, stderr=out)
    assert (Patient.objects.count(), SecondaryDiagnosis.objects.count()) == before
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
        ",H201,Bad,Date,1970-02-30,female,,Breast Team A,,,,,,,,,,,,,,,",
        ",H202,Bad,Site,1970-01-01,female,,Breast Team A,,,,,,2026-10-01,recurrence,bone;spleen,"
        ",,,,,,",
        ",H203,No,Team,1970-01-01,female,,Nowhere Team,,,,,,,,,,,,,,,",
        ",H204,No,Reason,1970-01-01,female,,Breast Team A,,,,,,2026-10-01,de_novo,bone,,,,,"
        "not_feasible,,",
        ",H205,Future,Born,2999-01-01,female,,Breast Team A,,,,,,,,,,,,,,,",
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


def test_a_reimport_with_a_changed_diagnosis_or_team_is_refused(
    world: World, tmp_path: Path
) -> None:
    _import(_write(tmp_path, GOOD))
    changed = [
        GOOD[0].replace("bone;liver", "bone"),
        GOOD[1].replace("Breast Team B", "Breast Team A"),
        GOOD[2].replace("Pat,Quinn,1980-01-01,female,", "Pat,Quinn,1980-01-01,female,LS2 7EW"),
    ]
    report = _refused(_write(tmp_path, changed))
    assert "line 2, secondary_diagnosed_on: already registered with different details" in report
    assert "line 3, team: already registered with different details" in report
    assert "line 4, postcode: already registered with different details" in report


def test_a_reimport_that_leaves_optional_cells_blank_is_unchanged(
    world: World, tmp_path: Path
) -> None:
    _import(_write(tmp_path, GOOD))
    shorter = GOOD[0].replace("LS1 4AP", "").replace(",kw", ",")
    assert "0 created, 1 unchanged" in _import(_write(tmp_path, [shorter]))


def test_a_row_without_nhs_or_hospital_number_is_refused(world: World, tmp_path: Path) -> None:
    report = _refused(
        _write(tmp_path, [",,No,Identifier,1970-01-01,female,,Breast Team A,,,,,,,,,,,,,,,"])
    )
    assert "line 2, nhs_number: give an NHS number or a hospital number" in report


def test_a_hospital_number_of_someone_else_is_refused(world: World, tmp_path: Path) -> None:
    _import(_write(tmp_path, GOOD))
    clash = "9000000009,H101,Pat,Quinn,1980-01-01,female,,Breast Team A,,,,,,,,,,,,,,,"
    report = _refused(_write(tmp_path, [clash]))
    assert "line 2, hospital_number: belongs to record" in report


def test_receptors_without_a_date_and_the_other_site_are_refused_up_front(
    world: World, tmp_path: Path
) -> None:
    rows = [
        ",H301,No,Date,1970-01-01,female,,Breast Team A,,,,,,2026-10-01,recurrence,bone,"
        "positive,positive,negative,,done,,",
        ",H302,Other,Site,1970-01-01,female,,Breast Team A,,,,,,2026-10-01,recurrence,other,,,,,,,",
    ]
    report = _refused(_write(tmp_path, rows))
    assert (
        "line 2, receptors_assessed_on: give the date of the metastatic receptor result" in report
    )
    assert "line 3, sites: 'other' needs a body site" in report


def test_a_team_name_used_by_two_organisations_is_refused(world: World, tmp_path: Path) -> None:
    elsewhere = organisation_create(name="Other Trust", ods_code="RYY01")
    team_create(
        organisation=elsewhere,
        name="Breast Team B",
        in_hours_phone="0113 496 0000",
        out_of_hours_phone="0113 496 0001",
    )
    report = _refused(_write(tmp_path, [GOOD[1]]))
    assert "line 2, team: 2 organisations have a team called 'Breast Team B'" in report


def test_stray_cells_and_repeated_columns_are_refused(world: World, tmp_path: Path) -> None:
    stray = _refused(_write(tmp_path, [GOOD[2] + ",Flat 2"]))
    assert "line 2, row: more cells than the header has columns" in stray
    repeated = _refused(_write(tmp_path, [GOOD[2] + ",x"], header=HEADER + ",given_name"))
    assert "line 1, given_name: column appears twice" in repeated


def test_a_path_that_cannot_be_read_is_a_clear_error(world: World, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed) as failure:
        import_registry_file(tmp_path)
    assert str(failure.value.errors[0]).startswith("file: cannot be read")


@pytest.mark.parametrize("address", ["a@b", "x@@y"])
def test_an_email_address_the_form_and_api_refuse_is_refused_by_the_import_in_the_same_words(
    world: World, tmp_path: Path, api_as, address: str
) -> None:  # type: ignore[no-untyped-def]
    header = "hospital_number,given_name,family_name,birth_date,sex,team,email"
    row = f"H401,Ada,Email,1970-01-01,female,Breast Team A,{address}"
    report = _refused(_write(tmp_path, [row], header=header))
    person = {"given_name": "Ada", "family_name": "Email", "birth_date": "1970-01-01"}
    api = api_as(world.key_worker).post("/patients", {**person, "sex": "female", "email": address})
    message = api.json()["error"]["fields"]["email"]
    form = PatientForm({**person, "sex": "female", "email": address})
    assert f"line 2, email: {message}" in report
    assert form.errors["email"] == [message]

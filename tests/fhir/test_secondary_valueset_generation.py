"""The committed secondary-cancer value set is exactly what its generator makes of its committed
input, so no one has edited the generated module by hand and the input is the real source."""

from __future__ import annotations

from pathlib import Path

import pytest

from waypoint.fhir.mapping import secondary_valueset_generator as generator
from waypoint.fhir.mapping.secondary_valueset import SECONDARY_ICD10CM, SECONDARY_SNOMED

INPUT = "src/waypoint/fhir/mapping/data/ValueSet-mcode-secondary-cancer-disorder-vs.json"
STALE = (
    "src/waypoint/fhir/mapping/secondary_valueset.py differs from what its generator makes of "
    f"{generator.input_name(generator.DEFAULT_INPUT)}. Do not edit the generated file: change the "
    f"input (or the generator) and run, from the repository root,\n    {generator.COMMAND}"
)


def valueset(*contains: dict[str, str]) -> dict[str, object]:
    return {
        "resourceType": "ValueSet",
        "url": "http://example.org/ValueSet/x",
        "version": "1",
        "expansion": {"timestamp": "2021-01-01", "contains": list(contains)},
    }


def test_regenerating_the_secondary_value_set_changes_nothing(tmp_path: Path) -> None:
    output = tmp_path / "secondary_valueset.py"
    assert generator.main(["--output", str(output)]) == 0
    assert output.read_bytes() == generator.DEFAULT_OUTPUT.read_bytes(), STALE


def test_check_mode_passes_on_the_committed_file() -> None:
    assert generator.main(["--check"]) == 0, STALE


def test_check_mode_fails_and_names_the_command_when_the_file_was_edited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = tmp_path / "secondary_valueset.py"
    edited.write_bytes(generator.DEFAULT_OUTPUT.read_bytes().replace(b"Krukenberg", b"Kruckenberg"))
    assert generator.main(["--check", "--output", str(edited)]) == 1
    assert generator.COMMAND in capsys.readouterr().err


def test_the_header_names_the_input_and_the_command_without_a_machine_path() -> None:
    header = generator.DEFAULT_OUTPUT.read_text(encoding="utf-8").split('"""')[1]
    assert f"Input: {INPUT}\n" in header
    assert generator.COMMAND in header
    assert str(generator.REPOSITORY_ROOT) not in header


def test_every_snomed_and_icd10cm_code_of_the_expansion_is_kept_and_the_catch_code_is_not() -> None:
    # Counts from the input's README: 811 SNOMED CT, 53 ICD-10-CM, 1 mCODE catch code.
    assert (len(SECONDARY_SNOMED), len(SECONDARY_ICD10CM)) == (811, 53)
    assert "SCC-OTHER" not in SECONDARY_SNOMED | SECONDARY_ICD10CM
    assert SECONDARY_ICD10CM["C79.81"] == "Secondary malignant neoplasm of breast"


def test_an_unknown_code_system_is_refused_rather_than_dropped() -> None:
    other = {"system": "http://hl7.org/fhir/sid/icd-10", "code": "C79.5", "display": "Bone"}
    with pytest.raises(generator.ValueSetError, match="icd-10"):
        generator.render(valueset(other), source="x.json")


def test_a_code_listed_twice_with_different_displays_is_refused() -> None:
    first = {"system": generator.SNOMED, "code": "94222008", "display": "Bone"}
    second = {**first, "display": "Bone marrow"}
    with pytest.raises(generator.ValueSetError, match="twice"):
        generator.render(valueset(first, second), source="x.json")


def test_snomed_codes_sort_as_numbers_and_quotes_stay_valid_python() -> None:
    text = generator.render(
        valueset(
            {"system": generator.SNOMED, "code": "128462008", "display": 'A "quoted" name'},
            {"system": generator.SNOMED, "code": "94222008", "display": "Meckel's"},
        ),
        source="x.json",
    )
    namespace: dict[str, object] = {}
    exec(compile(text, "generated", "exec"), namespace)  # noqa: S102 - our own generated text
    snomed = namespace["SECONDARY_SNOMED"]
    assert isinstance(snomed, dict)
    assert list(snomed.items()) == [("94222008", "Meckel's"), ("128462008", 'A "quoted" name')]

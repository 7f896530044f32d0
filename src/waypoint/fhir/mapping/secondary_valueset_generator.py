"""Writes ``secondary_valueset.py`` from the committed expansion of the mCODE secondary-cancer
value set (``data/ValueSet-mcode-secondary-cancer-disorder-vs.json``, provenance in
``data/README.md``).

Run from the repository root::

    .venv/bin/python -m waypoint.fhir.mapping.secondary_valueset_generator

``--check`` writes nothing and exits 1 when the committed module differs from what the input gives.
The output is a pure function of the input file, so regenerating an unchanged input changes no
byte; ``tests/fhir/test_secondary_valueset_generation.py`` holds that.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

COMMAND = ".venv/bin/python -m waypoint.fhir.mapping.secondary_valueset_generator"
HERE = Path(__file__).resolve().parent
REPOSITORY_ROOT = HERE.parents[3]
DEFAULT_INPUT = HERE / "data" / "ValueSet-mcode-secondary-cancer-disorder-vs.json"
DEFAULT_OUTPUT = HERE / "secondary_valueset.py"

SNOMED = "http://snomed.info/sct"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
# mCODE's "other, specify" code means nothing outside mCODE: Waypoint records "other" as a site.
SKIPPED_SYSTEMS = frozenset({"http://hl7.org/fhir/us/mcode/CodeSystem/mcode-catch-code-cs"})


class ValueSetError(ValueError):
    """The input is not an expansion this generator can turn into lookup tables faithfully."""


def input_name(path: Path) -> str:
    """The input as the header names it: relative to the repository, so no machine path leaks."""
    resolved = path.resolve()
    if resolved.is_relative_to(REPOSITORY_ROOT):
        return resolved.relative_to(REPOSITORY_ROOT).as_posix()
    return resolved.name


def _string(item: Mapping[str, object], key: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value:
        raise ValueSetError(f"expansion entry {dict(item)!r} has no {key!r}")
    return value


def _tables(valueset: Mapping[str, object]) -> dict[str, dict[str, str]]:
    expansion = valueset.get("expansion")
    contains = expansion.get("contains") if isinstance(expansion, dict) else None
    if not isinstance(contains, list) or not contains:
        raise ValueSetError("the ValueSet has no expansion.contains to generate from")
    tables: dict[str, dict[str, str]] = {SNOMED: {}, ICD10CM: {}}
    for item in contains:
        if not isinstance(item, dict):
            raise ValueSetError(f"expansion entry {item!r} is not an object")
        system = _string(item, "system")
        if system in SKIPPED_SYSTEMS:
            continue
        if system not in tables:
            # Dropping a whole code system silently would narrow what the import recognises.
            raise ValueSetError(f"code system {system!r} is not one the import maps")
        code, display = _string(item, "code"), _string(item, "display")
        if system == SNOMED and not code.isdigit():
            raise ValueSetError(f"SNOMED CT code {code!r} is not a concept id")
        if tables[system].setdefault(code, display) != display:
            raise ValueSetError(f"{system}|{code} is listed twice with different displays")
    return tables


def _literal(text: str) -> str:
    """A double-quoted literal, the form ``ruff format`` keeps, so the output passes its check."""
    if text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    return json.dumps(text, ensure_ascii=False)


def _dict(name: str, entries: Sequence[tuple[str, str]]) -> list[str]:
    lines = [f"{name}: dict[str, str] = {{"]
    lines += [f"    {_literal(code)}: {_literal(display)}," for code, display in entries]
    lines.append("}")
    return lines


def render(valueset: Mapping[str, object], *, source: str) -> str:
    """The module text. SNOMED CT ids sort as numbers and ICD-10-CM codes as text, so a reader finds
    a code where they expect it and a new expansion gives a diff of only what changed."""
    tables = _tables(valueset)
    url, version = _string(valueset, "url"), _string(valueset, "version")
    expansion = valueset["expansion"]
    timestamp = expansion.get("timestamp", "unknown") if isinstance(expansion, dict) else "unknown"
    header = [
        "# ruff: noqa: E501  (generated: one code per line)",
        '"""Generated from the expansion of the mCODE ValueSet',
        f"``{url}`` version {version} (expansion of {timestamp}), as published with",
        "the mCODE extraction framework (Apache-2.0). SNOMED CT codes are descendants of 128462008",
        '"secondary malignant neoplastic disease"; SNOMED CT needs an affiliate licence for '
        "production use.",
        f"Input: {source}",
        "(provenance in the README.md beside it). Regenerate from the repository root with",
        f"    {COMMAND}",
        'Do not edit by hand."""',
        "",
        "from __future__ import annotations",
        "",
    ]
    snomed = sorted(tables[SNOMED].items(), key=lambda entry: int(entry[0]))
    icd10cm = sorted(tables[ICD10CM].items())
    body = _dict("SECONDARY_SNOMED", snomed) + _dict("SECONDARY_ICD10CM", icd10cm)
    return "\n".join(header + body) + "\n"


def generate(input_path: Path = DEFAULT_INPUT) -> str:
    with input_path.open(encoding="utf-8") as handle:
        valueset = json.load(handle)
    if not isinstance(valueset, dict) or valueset.get("resourceType") != "ValueSet":
        raise ValueSetError(f"{input_path.name} is not a FHIR ValueSet")
    return render(valueset, source=input_name(input_path))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a difference")
    args = parser.parse_args(argv)
    text = generate(args.input)
    if args.check:
        current = args.output.read_bytes() if args.output.exists() else None
        if current != text.encode("utf-8"):
            print(f"{args.output.name} is out of date: run {COMMAND}", file=sys.stderr)
            return 1
        return 0
    # newline="\n": the same bytes on every platform, or the regeneration test fails on Windows.
    with args.output.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

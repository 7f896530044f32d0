#!/usr/bin/env python3
"""Fail when pyproject.toml asks for something the locks do not pin.

`make setup` installs only what requirements/lock.txt and requirements/tools.txt pin (Waypoint
itself goes in with --no-deps), so a dependency added to or tightened in pyproject.toml without
`make lock` would pass on the machine that edited it and fail on a fresh clone. This check reads
files only: it runs offline, in a fraction of a second, before every lint.

It checks, for CPython 3.11 on Linux (x86_64 and aarch64):
- every runtime and `dev` requirement is pinned in lock.txt at a version its specifier allows, and
  so is every requirement of an extra it names (read from the installed package's metadata, when
  the installed version is the locked one: `make setup` runs first, so under `make lint` it is);
- every [build-system] requirement is pinned in tools.txt (Waypoint is built without isolation);
- each pin is exact and carries hashes, and no package is pinned differently in the two locks,
  which are installed into the same environment.
"""

from __future__ import annotations

import importlib.metadata
import platform
import sys
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
LOCK = ROOT / "requirements" / "lock.txt"
TOOLS = ROOT / "requirements" / "tools.txt"
# The extras `make lock` resolves; any other extra is not installed by `make setup`.
LOCKED_EXTRAS = ("dev",)


def _target(machine: str) -> dict[str, str]:
    running = platform.python_version()
    return {
        "implementation_name": "cpython",
        "implementation_version": running if running.startswith("3.11.") else "3.11.0",
        "os_name": "posix",
        "platform_machine": machine,
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_system": "Linux",
        "platform_version": "",
        "python_full_version": running if running.startswith("3.11.") else "3.11.0",
        "python_version": "3.11",
        "sys_platform": "linux",
        "extra": "",
    }


TARGETS = {machine: _target(machine) for machine in ("x86_64", "aarch64")}


@dataclass(frozen=True)
class Pin:
    name: NormalizedName
    version: Version
    marker: Marker | None
    source: str

    def applies(self, environment: Mapping[str, str]) -> bool:
        return self.marker is None or self.marker.evaluate(dict(environment))


def read_lock(path: Path, errors: list[str]) -> list[Pin]:
    """Pins of a hash-locked requirements file, as `uv pip compile --generate-hashes` writes it."""
    pins: list[Pin] = []
    label = path.relative_to(ROOT).as_posix()
    for number, line in enumerate(path.read_text().replace("\\\n", " ").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        spec, *hashes = line.split(" --hash=")
        where = f"{label}: {spec.strip()}"
        if spec.startswith("-"):
            errors.append(f"{where}: options are not allowed in a lock")
            continue
        try:
            requirement = Requirement(spec)
        except InvalidRequirement as error:
            errors.append(f"{label}, logical line {number}: {error}")
            continue
        specifiers = list(requirement.specifier)
        if len(specifiers) != 1 or specifiers[0].operator != "==" or "*" in specifiers[0].version:
            errors.append(f"{where}: not pinned to one exact version")
            continue
        if not hashes:
            errors.append(f"{where}: no --hash (pip's --require-hashes refuses it)")
        pins.append(
            Pin(
                name=canonicalize_name(requirement.name),
                version=Version(specifiers[0].version),
                marker=requirement.marker,
                source=label,
            )
        )
    return pins


def shown(requirement: Requirement) -> str:
    """A requirement without its marker, as a person wrote it."""
    extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
    return f"{requirement.name}{extras}{requirement.specifier}"


def pinned(pins: Iterable[Pin], name: str, environment: Mapping[str, str]) -> list[Pin]:
    wanted = canonicalize_name(name)
    return [pin for pin in pins if pin.name == wanted and pin.applies(environment)]


def extra_requirements(pin: Pin) -> list[Requirement] | None:
    """The requirements a locked package lists under its extras, or None if not installed."""
    try:
        distribution = importlib.metadata.distribution(pin.name)
    except importlib.metadata.PackageNotFoundError:
        return None
    if Version(distribution.version) != pin.version:
        return None
    requirements = [Requirement(line) for line in distribution.requires or []]
    return [r for r in requirements if r.marker is not None and "extra" in str(r.marker)]


def check(
    requirements: Iterable[Requirement],
    pins: list[Pin],
    origin: str,
    errors: list[str],
    notes: list[str],
    extra: str = "",
) -> None:
    """Each requirement that applies on a target, under `extra`, is pinned at a version it allows.

    Markers are read for CPython 3.11 on Linux; a requirement that applies nowhere is skipped.
    """
    lock_name = pins[0].source if pins else "the lock"
    for requirement in requirements:
        applicable: Pin | None = None
        for machine, target in TARGETS.items():
            environment = {**target, "extra": extra}
            if requirement.marker is not None and not requirement.marker.evaluate(environment):
                continue
            matches = pinned(pins, requirement.name, environment)
            if not matches:
                errors.append(f"{origin} needs {shown(requirement)}, not pinned in {lock_name}")
                break
            if len(matches) > 1:
                errors.append(f"{lock_name} pins {requirement.name} twice ({machine})")
                break
            (applicable,) = matches
            if not requirement.specifier.contains(applicable.version, prereleases=True):
                errors.append(
                    f"{origin} needs {shown(requirement)}, but {lock_name} pins "
                    f"{applicable.name}=={applicable.version}"
                )
                break
        else:
            if applicable is None or not requirement.extras:
                continue
            added = extra_requirements(applicable)
            if added is None:
                notes.append(
                    f"extras of {shown(requirement)} not checked "
                    f"({applicable.name} {applicable.version} is not installed)"
                )
                continue
            for name in sorted(requirement.extras):
                check(added, pins, f"{origin} (through {shown(requirement)})", errors, notes, name)


def main() -> int:
    errors: list[str] = []
    notes: list[str] = []
    project = tomllib.loads(PYPROJECT.read_text())
    lock = read_lock(LOCK, errors)
    tools = read_lock(TOOLS, errors)

    wanted = [Requirement(line) for line in project["project"]["dependencies"]]
    for extra in LOCKED_EXTRAS:
        wanted += [Requirement(line) for line in project["project"]["optional-dependencies"][extra]]
    check(wanted, lock, "pyproject.toml", errors, notes)
    build = [Requirement(line) for line in project["build-system"]["requires"]]
    check(build, tools, "pyproject.toml [build-system]", errors, notes)

    for environment in TARGETS.values():
        for tool in tools:
            if not tool.applies(environment):
                continue
            for pin in pinned(lock, tool.name, environment):
                if pin.version != tool.version:
                    errors.append(
                        f"{tool.name} is pinned to {pin.version} in {pin.source} and to "
                        f"{tool.version} in {tool.source}"
                    )

    for note in notes:
        print(f"check_lock: {note}", file=sys.stderr)
    if errors:
        for error in dict.fromkeys(errors):
            print(f"check_lock: {error}", file=sys.stderr)
        print(
            "check_lock: pyproject.toml and requirements/ disagree; run `make lock`, then "
            "commit pyproject.toml and requirements/ together",
            file=sys.stderr,
        )
        return 1
    print(f"check_lock: {len(lock)} + {len(tools)} pins agree with pyproject.toml")
    return 0


if __name__ == "__main__":
    sys.exit(main())

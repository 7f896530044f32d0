from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waypoint.workspace.registry_import import (
    DEFAULT_IDENTIFIER_SYSTEM,
    ImportFailed,
    import_registry_file,
)


class Command(BaseCommand):
    help = "Import people from a CSV file, all or nothing (see docs/registry-import.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--identifier-system",
            default=DEFAULT_IDENTIFIER_SYSTEM,
            help="System URI for the hospital_number column.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            report = import_registry_file(path, identifier_system=options["identifier_system"])
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(failed.errors)} problem(s) found; nothing was imported."
            ) from failed
        self.stdout.write(f"{report.created} created, {report.unchanged} unchanged.")

"""``manage.py import_fhir FILE... --team ID [--dry-run] [--as USERNAME]`` (docs/fhir.md).

Each file is one bundle and its own transaction; a file holding a single resource is wrapped as
a one-entry collection. The exit code is 1 when any file failed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waypoint.accounts.models import User
from waypoint.core.errors import WaypointError
from waypoint.fhir.importing import bundle_import
from waypoint.fhir.mapping.inbound import wrap_resource


class Command(BaseCommand):
    help = "Import FHIR R4 Bundles (mCODE) into the registry: all or nothing per file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--team", type=int, default=None, help="Team id for new people.")
        parser.add_argument("--dry-run", action="store_true", help="Check; write nothing.")
        parser.add_argument(
            "--as",
            dest="username",
            default="",
            help="Import as this clinician (needed for treatment lines and timeline events).",
        )
        parser.add_argument("--quiet", action="store_true", help="Print errors and warnings only.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor: User | None = None
        if options["username"]:
            actor = User.objects.filter(username=options["username"], is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {options['username']!r}.")
        failed = 0
        for path in options["files"]:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                self.stderr.write(f"{path}: cannot read JSON: {exc}")
                failed += 1
                continue
            if not isinstance(data, dict):
                self.stderr.write(f"{path}: not a FHIR resource")
                failed += 1
                continue
            if data.get("resourceType") != "Bundle":
                data = wrap_resource(data)
            try:
                report = bundle_import(
                    actor=actor, bundle=data, team_id=options["team"], dry_run=options["dry_run"]
                )
            except WaypointError as exc:
                self.stderr.write(f"{path}: {exc.message}")
                failed += 1
                continue
            for issue in report.issues:
                if options["quiet"] and issue.severity == "information":
                    continue
                where = f" [{', '.join(issue.expression)}]" if issue.expression else ""
                self.stdout.write(f"{path}: {issue.severity}: {issue.diagnostics}{where}")
            created = ", ".join(f"{n} {kind}" for kind, n in sorted(report.created.items()))
            if report.ok:
                verb = "checked (dry run)" if options["dry_run"] else "imported"
                self.stdout.write(
                    f"{path}: {verb}: created {created or 'nothing'}; {report.unchanged} unchanged"
                )
            else:
                failed += 1
                errors = sum(1 for i in report.issues if i.is_error)
                self.stdout.write(f"{path}: FAILED with {errors} error(s); nothing was written")
        if failed:
            raise SystemExit(1)

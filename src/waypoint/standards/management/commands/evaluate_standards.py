"""``manage.py evaluate_standards [--as-of DATE] [--months N]``: evaluate every standard for
everyone, as of a day (default today) and the last day of each of the N months before it, for the
dashboards. Run it nightly."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from waypoint.standards.services import standards_snapshot


def month_ends(before: dt.date, months: int) -> list[dt.date]:
    days = []
    cursor = before.replace(day=1)
    for _ in range(months):
        cursor = cursor - dt.timedelta(days=1)  # last day of the previous month
        days.append(cursor)
        cursor = cursor.replace(day=1)
    return days


class Command(BaseCommand):
    help = "Evaluate every care standard for everyone, for the standards dashboards."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--months", type=int, default=0, help="Also each of N month ends.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_of = (
                dt.date.fromisoformat(options["as_of"])
                if options["as_of"]
                else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError(f"--as-of must be a date (YYYY-MM-DD): {exc}") from exc
        if options["months"] < 0:
            raise CommandError("--months must be 0 or more")
        for day in [as_of, *month_ends(as_of, options["months"])]:
            run = standards_snapshot(as_of=day)
            self.stdout.write(
                f"{day}: {run.people:,} people, {run.results:,} results in {run.seconds:.1f} s"
            )

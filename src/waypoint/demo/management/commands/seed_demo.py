from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from waypoint.demo.loader import DEMO_PASSWORD, LOGINS, already_loaded, load_demo


class Command(BaseCommand):
    help = "Load the deterministic demo hospital, staff and population (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--patients", type=int, default=300, help="Population size.")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        # Production does not install this app at all; this guards a configuration that adds it
        # back. The demo's staff logins share one published password.
        if settings.WAYPOINT_PRODUCTION:
            raise CommandError(
                "seed_demo does not run in production (WAYPOINT_PRODUCTION=true): it would load "
                "made-up people and staff logins with a published password. Nothing was loaded."
            )
        if options["patients"] < 0:
            raise CommandError("--patients must be 0 or more")
        if already_loaded():
            self.stdout.write("Demo data is already loaded.")
        else:
            load_demo(
                size=options["patients"],
                seed=options["seed"],
                today=options["today"] or timezone.localdate(),
                progress=self.stdout.write,
            )
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})\n")
        self.stdout.write(f"  {'username':<12} {'role':<28} sees")
        for login in LOGINS:
            self.stdout.write(f"  {login.username:<12} {login.role:<28} {login.sees}")

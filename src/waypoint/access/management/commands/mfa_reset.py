from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waypoint.access.mfa.services import second_factor_reset
from waypoint.accounts.models import User
from waypoint.core.errors import WaypointError


class Command(BaseCommand):
    help = (
        "Remove every authenticator app, passkey and recovery code of USERNAME, for someone who "
        "has lost them all. The reason is kept in the audit trail. At their next sign-in they "
        "use their password alone and, if staff must use two-step verification, set it up again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--reason",
            required=True,
            help="Why, for the audit trail: for example 'phone lost, identity checked in person'.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user called {options['username']!r}.")
        try:
            second_factor_reset(actor=None, user_id=user.pk, reason=options["reason"])
        except WaypointError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Two-step verification is reset for {user.username}. They can now sign in with "
            "their password and set it up again."
        )

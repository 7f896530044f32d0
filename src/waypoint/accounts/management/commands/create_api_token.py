from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waypoint.accounts.models import User
from waypoint.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create a bearer token for USERNAME and print it (it is shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--label", default="", help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist as exc:
            raise CommandError(f"No user called {options['username']!r}.") from exc
        _, plain = api_token_create(user=user, label=options["label"])
        self.stdout.write(plain)

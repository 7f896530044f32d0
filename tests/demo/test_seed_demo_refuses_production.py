"""seed_demo never loads its made-up people and published logins into a production database,
even where a configuration has installed the demo app by hand."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from waypoint.accounts.models import User
from waypoint.registry.models import Patient


def test_seed_demo_refuses_in_production_and_loads_nothing(db: None, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WAYPOINT_PRODUCTION = True
    users = User.objects.count()
    with pytest.raises(CommandError, match="does not run in production"):
        call_command("seed_demo", "--patients", "10", stdout=StringIO())
    assert Patient.objects.count() == 0
    assert User.objects.count() == users

"""Existing teams get Monday to Friday, 09:00 to 17:00, the hours their in_hours_description
has said by default. A team whose hours differ is corrected in the admin; the words shown to
people stay in in_hours_description."""

import datetime as dt

from django.db import migrations

OPENS = dt.time(9)
CLOSES = dt.time(17)
WEEKDAYS = range(5)


def seed(apps, schema_editor):
    Team = apps.get_model("careteam", "Team")
    TeamOpeningHours = apps.get_model("careteam", "TeamOpeningHours")
    already = set(TeamOpeningHours.objects.values_list("team_id", flat=True))
    TeamOpeningHours.objects.bulk_create(
        TeamOpeningHours(team_id=team_id, weekday=day, opens_at=OPENS, closes_at=CLOSES)
        for team_id in Team.objects.exclude(pk__in=already).values_list("pk", flat=True)
        for day in WEEKDAYS
    )


def unseed(apps, schema_editor):
    TeamOpeningHours = apps.get_model("careteam", "TeamOpeningHours")
    TeamOpeningHours.objects.filter(
        weekday__in=WEEKDAYS, opens_at=OPENS, closes_at=CLOSES
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("careteam", "0005_teamopeninghours"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]

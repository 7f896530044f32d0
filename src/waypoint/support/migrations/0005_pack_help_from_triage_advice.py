"""The pack's "When to get help straight away" now comes from the triage advice, with the person's
own numbers, on every copy (web, PDF, posted). Remove the first edition's hand-written copy of it
and the sentence that pointed to "the numbers on every page of Waypoint", unless an admin has
already edited them (then they are left as they are, for a person to review)."""

from django.db import migrations

HELP_TITLE = "When to get help straight away"
HELP_BODY = (
    "Call 999 if you have chest pain, are struggling to breathe, have a fit, or collapse.\n\n"
    "Call your team's 24-hour number now if you have a temperature of 37.5°C or more, or "
    "feel shivery or unwell while on chemotherapy or targeted treatment; new back or neck "
    "pain with weakness, numbness or problems passing urine; or you feel very unwell.\n\n"
    "You can also report symptoms on Waypoint, day or night: you will be told what to do at "
    "once."
)
TEAM_TITLE = "Your key worker and your team"
TEAM_BODY_OLD = (
    "Your key worker is your named specialist nurse. They know your care, help you find "
    "your way through it, and are the person to contact first.\n\n"
    "Your team's numbers, in hours and out of hours, are on every page of Waypoint. Keep "
    "them in your phone."
)
TEAM_BODY_NEW = (
    "Your key worker is your named specialist nurse. They know your care, help you find "
    "your way through it, and are the person to contact first.\n\n"
    "Your team's numbers, in hours and out of hours, are at the front of this pack and on "
    "every page of Waypoint. Keep them in your phone."
)


def forwards(apps, schema_editor):
    Section = apps.get_model("support", "ResourcePackSection")
    Section.objects.filter(title=HELP_TITLE, body=HELP_BODY).delete()
    Section.objects.filter(title=TEAM_TITLE, body=TEAM_BODY_OLD).update(body=TEAM_BODY_NEW)


def backwards(apps, schema_editor):
    """Put the old text back (the removed section goes last: positions are unique)."""
    Section = apps.get_model("support", "ResourcePackSection")
    Section.objects.filter(title=TEAM_TITLE, body=TEAM_BODY_NEW).update(body=TEAM_BODY_OLD)
    if not Section.objects.filter(title=HELP_TITLE).exists():
        last = Section.objects.order_by("-position").values_list("position", flat=True).first()
        Section.objects.create(position=(last or 0) + 1, title=HELP_TITLE, body=HELP_BODY)


class Migration(migrations.Migration):
    dependencies = [("support", "0004_resource_pack_content")]
    operations = [migrations.RunPython(forwards, backwards)]

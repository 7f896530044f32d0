"""The first edition of the secondary resource pack's sections. Admins edit them afterwards."""

from django.db import migrations

SECTIONS = [
    (
        "Living with secondary breast cancer",
        "Secondary breast cancer means that cancer cells have spread from the breast to other "
        "parts of the body, such as the bones, liver, lungs or brain. It can be treated, often "
        "for many years, but it cannot be cured.\n\n"
        "Many people live well with it for a long time. Treatment aims to control the cancer, "
        "ease symptoms and help you live as fully as you can.",
    ),
    (
        "Your key worker and your team",
        "Your key worker is your named specialist nurse. They know your care, help you find "
        "your way through it, and are the person to contact first.\n\n"
        "Your team's numbers, in hours and out of hours, are on every page of Waypoint. Keep "
        "them in your phone.",
    ),
    (
        "When to get help straight away",
        "Call 999 if you have chest pain, are struggling to breathe, have a fit, or collapse.\n\n"
        "Call your team's 24-hour number now if you have a temperature of 37.5°C or more, or "
        "feel shivery or unwell while on chemotherapy or targeted treatment; new back or neck "
        "pain with weakness, numbness or problems passing urine; or you feel very unwell.\n\n"
        "You can also report symptoms on Waypoint, day or night: you will be told what to do at "
        "once.",
    ),
    (
        "Treatments",
        "Treatment depends on the type of breast cancer and where it has spread. It may include "
        "hormone therapy, targeted therapy, chemotherapy, immunotherapy, radiotherapy and bone "
        "strengthening treatment. Treatments often change over time as the cancer responds.\n\n"
        "Ask your team what each treatment aims to do, its likely side effects, and how you will "
        "know whether it is working.",
    ),
    (
        "Your feelings",
        "It is normal to feel shocked, angry, frightened or low. Talking helps: with your key "
        "worker, people close to you, a counsellor, or others living with secondary breast "
        "cancer. Your needs assessment is a chance to say what is worrying you.",
    ),
    (
        "Money, work and practical help",
        "You may be entitled to benefits and grants. A benefits adviser can check what you can "
        "claim and help you apply. Ask your key worker for a referral, or refer yourself to the "
        "benefits services listed in Waypoint.",
    ),
    (
        "Support and meeting others",
        "Living with Secondary Breast Cancer meetings let you meet others in the same situation, "
        "in person or online. The secondary breast cancer helpline is there to talk things "
        "through. You can book a meeting and find other support in Waypoint.",
    ),
]


def add(apps, schema_editor):
    Section = apps.get_model("support", "ResourcePackSection")
    for position, (title, body) in enumerate(SECTIONS, start=1):
        Section.objects.update_or_create(position=position, defaults={"title": title, "body": body})


def remove(apps, schema_editor):
    apps.get_model("support", "ResourcePackSection").objects.filter(
        position__lte=len(SECTIONS)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("support", "0003_resourcepacksection_resourcepackorder")]
    operations = [migrations.RunPython(add, remove)]

"""The four letters the board's decisions send, as templates officers can edit."""

from django.db import migrations

TEMPLATES = {
    "priority": (
        "{school_name}: a priority for school improvement support in {academic_year}",
        """Dear {headteacher} and the chair of governors,

I am writing to confirm that {school_name} (URN {urn}) is a priority school for school improvement support in {academic_year}.

Reason: {reason}

The advisory board's rationale: {rationale}

Your named priority partner is {partner}, who will contact you to agree an action plan by October half-term. Please share this letter with your senior leadership team and governing body.

Yours sincerely,

School improvement team
{la_name}""",
    ),
    "not_priority": (
        "{school_name}: school improvement support in {academic_year}",
        """Dear {headteacher} and the chair of governors,

Following this year's review of all maintained schools, {school_name} (URN {urn}) is not a priority for school improvement support in {academic_year}.

If you believe the school should be a priority, or you would like to discuss other support, please tell us; you can also refer the school through the portal.

Yours sincerely,

School improvement team
{la_name}""",
    ),
    "removed": (
        "{school_name}: removal from the priority list",
        """Dear {headteacher} and the chair of governors,

The advisory board has decided that {school_name} (URN {urn}) will leave the list of schools receiving priority support.

The board's rationale: {rationale}

Thank you for your work with {partner} this year. The school remains welcome to use our wider services.

Yours sincerely,

School improvement team
{la_name}""",
    ),
    "concern": (
        "{school_name}: letter of concern",
        """Dear {headteacher} and the chair of governors,

The advisory board reviewed {school_name} (URN {urn}) at its meeting on {meeting_date} and is concerned about the school's engagement in, or progress with, school improvement.

The board's concern: {rationale}

Please meet your priority partner, {partner}, within the next four weeks to agree how the action plan will be brought back on track, and share this letter with your governing body.

Yours sincerely,

School improvement team
{la_name}""",
    ),
}


def create(apps, schema_editor):
    LetterTemplate = apps.get_model("boards", "LetterTemplate")
    for kind, (subject, body) in TEMPLATES.items():
        LetterTemplate.objects.get_or_create(kind=kind, defaults={"subject": subject, "body": body})


def remove(apps, schema_editor):
    apps.get_model("boards", "LetterTemplate").objects.filter(kind__in=TEMPLATES).delete()


class Migration(migrations.Migration):
    dependencies = [("boards", "0001_board")]

    operations = [migrations.RunPython(create, remove)]

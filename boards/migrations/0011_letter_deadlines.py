"""The priority letter asks for the action plan by {plan_due}, not "by October half-term": a
letter sent in December gave a date already past (issue 22). {plan_due} is the plan's own date, or
the next deadline the policy gives from the letter's date (``support.deadlines``).

Only the shipped sentence changes, in English and in Welsh; a template an officer reworded keeps
their words. The Welsh wording is MACHINE-DRAFTED like the rest of
``0008_welsh_letter_templates``: "erbyn {plan_due}" ("by {plan_due}") replaces "erbyn hanner tymor
mis Hydref" ("by October half-term") and has not yet been read by a Welsh speaker. Run for a new
authority too (``boards.services.give_letter_templates``, in its scope), after its copy is made.
"""

from django.db import migrations

from accounts.authorities import current_authority_id

SENTENCES = {
    "body": ("to agree an action plan by October half-term.", "to agree an action plan by {plan_due}."),
    "body_cy": (
        "i gytuno ar gynllun gweithredu erbyn hanner tymor mis Hydref.",
        "i gytuno ar gynllun gweithredu erbyn {plan_due}.",
    ),
}


def _replace(apps, forwards: bool) -> None:
    templates = apps.get_model("boards", "LetterTemplate")._base_manager.filter(kind="priority")
    authority = current_authority_id()
    if authority is not None:
        templates = templates.filter(authority_id=authority)
    for template in templates:
        for field, (old, new) in SENTENCES.items():
            before, after = (old, new) if forwards else (new, old)
            setattr(template, field, getattr(template, field).replace(before, after))
        template.save(update_fields=list(SENTENCES))


def create(apps, schema_editor):
    _replace(apps, forwards=True)


def remove(apps, schema_editor):
    _replace(apps, forwards=False)


class Migration(migrations.Migration):
    dependencies = [("boards", "0010_birmingham_visit_and_agree_academy_notifications")]

    operations = [migrations.RunPython(create, remove)]

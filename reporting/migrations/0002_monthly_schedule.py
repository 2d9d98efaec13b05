"""Look each morning at 06:30 whether today is the first working day of the month and, if so, build
last month's report (django-celery-beat, editable in the admin)."""

from django.db import migrations

NAME = "Monthly commissioner report (checked daily, built on the first working day)"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="6", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/London"
    )
    PeriodicTask.objects.get_or_create(
        name=NAME, defaults={"task": "reporting.monthly_report_if_due", "crontab": schedule}
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_monthly_report"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create, remove)]

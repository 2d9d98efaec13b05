"""Closed schools' case records are deleted when their retention period ends, and nothing else is."""

from datetime import date

from django.core.management import call_command

from boards.models import Letter, WarningNotice
from schools import retention, services
from schools.models import Inspection, IntelligenceNote, School
from support.models import Visit
from tests.factories import InspectionFactory, SchoolFactory


def test_the_cutoff_is_the_retention_period_before_today():
    assert retention.retention_cutoff(date(2026, 11, 23), 6) == date(2020, 11, 23)
    assert retention.retention_cutoff(date(2028, 2, 29), 1) == date(2027, 2, 28)


def _case(school, officer):
    IntelligenceNote.objects.create(
        school=school,
        area="leadership",
        noted_on=date(2019, 5, 1),
        source="Governor",
        risk_grade="high",
        text="The chair says the head is off sick.",
        author=officer,
    )
    Visit.objects.create(school=school, visitor=officer, purpose="Review", scheduled_for=date(2019, 6, 1))
    Letter.objects.create(
        school=school,
        kind="concern",
        academic_year=2018,
        subject="Concern",
        body="…",
        recipients="Head",
        dated=date(2019, 6, 2),
    )
    WarningNotice.objects.create(school=school, rationale="Standards")
    InspectionFactory(school=school)


def test_a_school_closed_longer_ago_than_the_period_loses_its_case_records_only(olivia, settings):
    settings.CLOSED_CASE_RETENTION_YEARS = 6
    old = SchoolFactory(name="Closed Long Ago", close_date=date(2019, 8, 31), status_name="Closed")
    recent = SchoolFactory(name="Closed Recently", close_date=date(2022, 8, 31), status_name="Closed")
    open_school = SchoolFactory(name="Still Open")
    for school in (old, recent, open_school):
        _case(school, olivia)

    dry = services.purge_closed_cases(today=date(2026, 11, 23), dry_run=True)
    assert (dry.schools, dry.deleted["intelligence notes"], dry.deleted["letters"]) == (1, 1, 1)
    assert IntelligenceNote.objects.count() == 3

    purge = services.purge_closed_cases(today=date(2026, 11, 23))
    assert purge.deleted["intelligence notes"] == 1
    assert purge.deleted["visits and their reports"] == 1
    assert set(IntelligenceNote.objects.values_list("school__name", flat=True)) == {"Closed Recently", "Still Open"}
    assert not Visit.objects.filter(school=old).exists()
    assert not Letter.objects.filter(school=old).exists()
    # Kept: the school, its public inspections and the statutory warning notice.
    assert School.objects.filter(pk=old.pk).exists()
    assert Inspection.objects.filter(school=old).exists()
    assert WarningNotice.objects.filter(school=old).exists()
    assert services.purge_closed_cases(today=date(2026, 11, 23)).total == 0


def test_the_command_says_what_it_would_delete(olivia, capsys):
    old = SchoolFactory(close_date=date(2001, 1, 31), status_name="Closed")
    _case(old, olivia)
    call_command("purge_closed_cases", "--dry-run")
    out = capsys.readouterr().out
    assert "Would delete 1 intelligence notes" in out
    assert IntelligenceNote.objects.count() == 1
    call_command("purge_closed_cases")
    assert "Deleted 1 intelligence notes" in capsys.readouterr().out
    assert not IntelligenceNote.objects.exists()


def test_the_purged_records_leave_the_audit_trail_and_the_purge_is_recorded(olivia, adam, settings):
    from django_celery_beat.models import PeriodicTask

    from schools.models import RetentionPurge
    from support.models import VisitReport
    from tests.factories import VisitReportFactory

    settings.CLOSED_CASE_RETENTION_YEARS = 6
    old = SchoolFactory(name="Closed Long Ago", close_date=date(2019, 8, 31), status_name="Closed")
    kept = SchoolFactory(name="Still Open")
    for school in (old, kept):
        _case(school, olivia)
    note = IntelligenceNote.objects.get(school=old)
    note.text = "Updated: the head has resigned."
    note.save()
    report = VisitReportFactory(visit__school=old)
    notice = WarningNotice.objects.get(school=old)
    assert IntelligenceNote.history.filter(id=note.pk).count() == 2
    assert VisitReport.history.filter(id=report.pk).count() == 1

    purge = services.purge_closed_cases(today=date(2026, 11, 23), by=adam)

    # Neither the notes nor the cascaded visit report survive as earlier versions in the trail.
    assert not IntelligenceNote.history.filter(school=old).exists()
    assert not VisitReport.history.filter(id=report.pk).exists()
    assert not Visit.history.filter(school=old).exists()
    assert not Letter.history.filter(school=old).exists()
    # The records that stay keep their history; the other school's case is untouched.
    assert WarningNotice.history.filter(id=notice.pk).exists()
    assert IntelligenceNote.history.filter(school=kept).count() == 1
    assert purge.history_rows >= 6  # two note versions, a visit, its report, a letter and more
    record = RetentionPurge.objects.get()
    assert record.started_by == adam
    assert record.school_urns == [old.urn]
    assert record.deleted["intelligence notes"] == 1
    assert record.history_rows_removed == purge.history_rows
    assert record.history.get().history_user == adam
    # Nothing left to purge: no second record.
    services.purge_closed_cases(today=date(2026, 11, 23))
    assert RetentionPurge.objects.count() == 1
    assert PeriodicTask.objects.get(task="schools.purge_closed_cases").crontab.day_of_month == "1"

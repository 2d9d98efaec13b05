"""Recategorisation runs as Celery tasks: inline on a bare machine, on a real worker with Redis."""

import pytest

from categorisation.models import RecategorisationRun, RiskAssessment
from categorisation.tasks import recategorise_all_schools, recategorise_school
from schoolimprovement.celery import app as celery_app
from tests.conftest import queued, uses_real_worker
from tests.factories import InspectionFactory, LocalAuthorityFactory, SchoolFactory


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_running_recategorise_all_schools_twice_writes_nothing_the_second_time():
    assert celery_app.conf.task_always_eager is (not uses_real_worker())
    la = LocalAuthorityFactory(code=330, name="Birmingham")
    for school in SchoolFactory.create_batch(12, la=la):
        InspectionFactory(school=school, overall_effectiveness=3)
    first = queued(recategorise_all_schools, trigger="manual").get(timeout=60)
    assert (first["assessed"], first["unchanged"]) == (12, 0)
    written = RiskAssessment.objects.count()
    second = queued(recategorise_all_schools, trigger="manual").get(timeout=60)
    assert (second["assessed"], second["unchanged"]) == (0, 12)
    assert RiskAssessment.objects.count() == written
    runs = list(RecategorisationRun.objects.order_by("pk").values_list("status", "assessed", "unchanged"))
    assert runs == [("succeeded", 12, 0), ("succeeded", 0, 12)]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_one_school_is_reassessed_on_its_own():
    la = LocalAuthorityFactory(code=330, name="Birmingham")
    school, other = SchoolFactory.create_batch(2, la=la)
    result = queued(recategorise_school, school.pk).get(timeout=60)
    assert result["assessed"] == 1
    assert not RiskAssessment.objects.filter(school=other).exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_run_of_several_chunks_fans_out_and_finishes_once_all_are_done():
    la = LocalAuthorityFactory(code=330, name="Birmingham")
    for school in SchoolFactory.create_batch(12, la=la):
        InspectionFactory(school=school, overall_effectiveness=3)
    started = queued(recategorise_all_schools, trigger="manual", schools_per_chunk=5).get(timeout=60)
    if uses_real_worker():  # three chunk tasks on the workers, then the run is finished
        assert started["chunks"] == 3
        finished = celery_app.AsyncResult(started["finished_by"]).get(timeout=60)
    else:  # inline: one chunk after another in this process
        finished = started
    assert (finished["assessed"], finished["unchanged"]) == (12, 0)
    run = RecategorisationRun.objects.get(pk=finished["run"])
    assert (run.status, run.schools, run.assessed) == ("succeeded", 12, 12)
    assert RiskAssessment.objects.filter(run=run).values("school").distinct().count() == 12
    # The nightly run that follows finds no school changed or due.
    nightly = queued(recategorise_all_schools, trigger="nightly").get(timeout=60)
    assert (nightly["assessed"], nightly["unchanged"]) == (0, 0)

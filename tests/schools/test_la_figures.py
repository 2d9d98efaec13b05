"""Figures DfE publishes only by local authority, read from the real Explore Education Statistics
files in ``data/ees/`` (``data/SOURCES.md``): EYFS profile results and the outcomes of children
looked after, each checked against a value in the file; and those officers copy from DfE's LAIT."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from schools import services
from schools.models import ImportRun, LocalAuthorityFigure
from tests.conftest import DATA
from tests.factories import LocalAuthorityFactory
from tests.schools.test_imports import run

EES = DATA / "ees"
EYFSP = EES / "eyfsp_headline_measures_2021-22_la_slice.csv"
CLA_KS2 = EES / "cin_cla_outcomes_ks2_la_2019-2025.csv"
CLA_KS4 = EES / "cin_cla_outcomes_ks4_la_2019-2025.csv"

pytestmark = pytest.mark.django_db


def figure(measure: str, year: int, la: int = 0) -> LocalAuthorityFigure:
    return LocalAuthorityFigure.objects.get(measure=measure, academic_year=year, la_code=la)


def test_the_eyfs_profile_file_gives_each_las_and_englands_good_level_of_development():
    result = run("ees_la_figures", EYFSP.read_bytes(), name=EYFSP.name)
    assert result.status == ImportRun.Status.SUCCEEDED, result.message
    # 25 LAs and England, each for all children, SEN support and EHC plan; regional and district rows,
    # and the breakdowns not compared, set aside.
    assert (result.created, result.rows_read, result.skipped) == (78, 2130, 2052)
    birmingham = figure("la_eyfs_gld_pct", 2021, 330)
    assert (birmingham.value, birmingham.level, birmingham.period) == (Decimal("62.7"), "la", "Academic year")
    assert birmingham.publication == "Early years foundation stage profile results"
    assert birmingham.file_name == EYFSP.name
    england = figure("la_eyfs_gld_pct", 2021)
    assert (england.level, england.value) == ("national", Decimal("65.2"))
    assert figure("la_eyfs_gld_pct_ehcp", 2021, 330).value == Decimal("0.5")
    # The Isles of Scilly's SEN figures are published as "z": kept as the marker, never 0.
    scilly = figure("la_eyfs_gld_pct_sen_support", 2021, 420)
    assert (scilly.value, scilly.marker) == (None, "z")


def test_the_looked_after_childrens_ks2_and_ks4_files_import_by_la_and_year_and_again_change_nothing():
    ks2 = run("ees_la_figures", CLA_KS2.read_bytes())
    assert ks2.status == ImportRun.Status.SUCCEEDED, ks2.message
    assert ks2.created == 1071  # 152 LAs and England, seven years, children looked after 12 months
    assert figure("la_ks2_rwm_expected_pct_cla", 2024, 330).value == Decimal("32")
    assert figure("la_ks2_rwm_expected_pct_cla", 2024).value == Decimal("35")
    assert figure("la_ks2_rwm_expected_pct_cla", 2024, 852).marker == "c"  # Southampton, suppressed
    ks4 = run("ees_la_figures", CLA_KS4.read_bytes())
    assert ks4.created == 3 * 1071  # Attainment 8, grade 4 in English and maths, Progress 8
    assert figure("la_ks4_att8_cla", 2024, 330).value == Decimal("20.6")
    assert figure("la_ks4_p8_cla", 2023, 330).value == Decimal("-1.4")
    assert figure("la_ks4_p8_cla", 2024, 330).marker == "x"  # no Progress 8 in 2024/25
    again = run("ees_la_figures", CLA_KS2.read_bytes())
    assert (again.status, again.created, again.updated) == (ImportRun.Status.SUCCEEDED, 0, 0)


def test_a_file_of_a_publication_the_portal_does_not_read_is_refused_saying_which_it_reads():
    other = DATA / "performance_tables" / "england_abs_KSPDeveloper.csv"
    result = run("ees_la_figures", other.read_bytes())
    assert result.status == ImportRun.Status.FAILED
    assert result.message.startswith("This is not an Explore Education Statistics file the portal reads")
    assert "Early years foundation stage profile results" in result.message
    assert not LocalAuthorityFigure.objects.exists()


def test_an_la_row_without_an_la_code_is_an_error_and_nothing_is_imported():
    lines = EYFSP.read_bytes().decode().splitlines(keepends=True)
    birmingham = next(i for i, line in enumerate(lines) if ",330,E08000025,Birmingham,,,Total,Total,Total," in line)
    lines[birmingham] = lines[birmingham].replace(",330,", ",,", 1)
    result = run("ees_la_figures", "".join(lines).encode())
    assert result.status == ImportRun.Status.FAILED
    assert result.errors[0]["line"] == birmingham + 1
    assert result.errors[0]["column"] == "old_la_code"
    assert not LocalAuthorityFigure.objects.exists()


KS2_SEN_SUPPORT = "la_ks2_rwm_expected_pct_sen_support"


def enter(by, **given):
    figure = {
        "measure": KS2_SEN_SUPPORT,
        "level": "la",
        "la_code": 330,
        "academic_year": 2024,
        "value": Decimal("23.5"),
        "marker": "",
        "source": "DfE LAIT, March 2026",
        **given,
    }
    return services.record_la_figure(**figure, by=by)


def test_an_officer_enters_a_figure_from_lait_and_a_correction_keeps_what_it_was(olivia, priya):
    LocalAuthorityFactory(code=330, name="Birmingham")
    first, before = enter(olivia)
    assert before is None
    figure, before = enter(priya, value=Decimal("24"), source="DfE LAIT, April 2026")
    assert (figure.pk, before) == (first.pk, "23.5%")
    held = LocalAuthorityFigure.objects.get()
    assert (held.value, held.period, held.publication) == (Decimal("24"), "Academic year", "DfE LAIT, April 2026")
    assert held.file_name == f"Entered by Priya Shah on {timezone.localdate():%-d %B %Y}"
    assert [(h.value, h.history_user) for h in held.history.order_by("history_date")] == [
        (Decimal("23.5"), olivia),
        (Decimal("24"), priya),
    ]
    # England's figure, and a suppressed one kept as DfE's symbol, never as 0.
    enter(olivia, level="national", la_code=0, value=Decimal("26.1"))
    suppressed, _ = enter(olivia, measure="la_ks4_p8_ehcp", value=None, marker="c")
    assert (suppressed.value, suppressed.marker) == (None, "c")


def test_a_figure_is_refused_without_a_known_place_a_sensible_year_a_source_or_one_of_figure_and_symbol(olivia, alice):
    LocalAuthorityFactory(code=330, name="Birmingham")
    refused = {
        "la_code": {"la_code": 999},
        "academic_year": {"academic_year": timezone.localdate().year + 1},
        "source": {"source": "  "},
        "value": {"value": None},
        "measure": {"measure": "ks2_rwm_expected_pct"},
    }
    for field, given in refused.items():
        with pytest.raises(ValidationError) as error:
            enter(olivia, **given)
        assert field in error.value.message_dict, field
    with pytest.raises(ValidationError, match="not both"):
        enter(olivia, marker="c")
    with pytest.raises(ValidationError, match="from 0 to 100"):
        enter(olivia, value=Decimal("123"))
    with pytest.raises(PermissionDenied):
        enter(alice)
    assert not LocalAuthorityFigure.objects.exists()

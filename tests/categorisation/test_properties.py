"""Properties of the rules engine over random but valid schools, for the three built-in frameworks:
the same facts always give the same proposal, more risk never gives less support, and the result
hash tells proposals apart."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from categorisation import rules, windows
from categorisation.rules import Figure, Note, SchoolFacts
from schools import measures, ofsted
from schools.ofsted import InspectionFacts, Shape
from tests.categorisation.specs import AS_OF, framework, graded, rank
from tests.examples import examples

FRAMEWORKS = ["tiered", "warwickshire", "wales"]
PROPERTY = settings(max_examples=examples(80, 300), deadline=None)

JUDGEMENT_FIELDS = [f for f, _ in ofsted.GRADED_JUDGEMENT_LABELS]
AREA_FIELDS = [area.field for area in ofsted.REPORT_CARD_AREAS]
NOTE_AREAS = ["finance", "hr", "leadership", "governance", "complaints", "staffing", "safeguarding", "new_headteacher"]
RISK_GRADES = list(rules.RISK_GRADES)

# Measure: (lowest, highest, decimal places). Outcomes read by the performance triggers, absence,
# and the roll.
OUTCOMES = {"ks2_aps": (20, 34, 1), "ks4_att8": (20, 70, 1), "ks4_p8": (-2, 2, 2)}
ABSENCE = {"abs_overall_pct": (2, 15, 1), "abs_persistent10_pct": (5, 40, 1)}
ROLL = {"census_nor": (50, 2000, 0)}
RANGES = OUTCOMES | ABSENCE | ROLL
YEARS = range(2014, 2020)


# Strategies --------------------------------------------------------------------------------------
# Built once and reused: hypothesis validates each new strategy, which is slow.


@cache
def value(code: str) -> st.SearchStrategy[Decimal]:
    low, high, places = RANGES[code]
    step = Decimal(1).scaleb(-places)
    return st.integers(int(low / step), int(high / step)).map(lambda n: n * step)


def days(first: date, last: date) -> st.SearchStrategy[date]:
    return st.dates(min_value=first, max_value=last)


def dictionaries(fields: list[str], worst: int, min_size: int = 0) -> st.SearchStrategy[dict]:
    return st.dictionaries(st.sampled_from(fields), st.integers(1, worst), min_size=min_size)


# Mostly graded inspections, so that every older outcome (satisfactory, stuck, ...) comes up.
SHAPES = st.sampled_from([Shape.GRADED, Shape.GRADED, Shape.GRADED, *Shape])
GRADES = st.integers(1, 4)
CONCERNS = st.sampled_from(["", "special_measures", "serious_weaknesses"])
SAFEGUARDING = st.sampled_from([True, False, None])
GRADED_DAYS = days(date(2010, 1, 1), ofsted.SATISFACTORY_UNTIL - timedelta(days=1)) | days(
    ofsted.SATISFACTORY_UNTIL, ofsted.NO_OVERALL_GRADE_FROM - timedelta(days=1)
)
JUDGEMENTS_ONLY_DAYS = days(ofsted.NO_OVERALL_GRADE_FROM, ofsted.REPORT_CARDS_FROM - timedelta(days=1))
REPORT_CARD_DAYS = days(ofsted.REPORT_CARDS_FROM, AS_OF)
ANY_DAY = days(date(2010, 1, 1), AS_OF)
KEY_JUDGEMENTS = dictionaries(JUDGEMENT_FIELDS, 4)
SOME_KEY_JUDGEMENTS = dictionaries(JUDGEMENT_FIELDS, 4, min_size=1)
REPORT_CARD_GRADES = dictionaries(AREA_FIELDS, 5, min_size=1)
YEAR_SETS = st.lists(st.sampled_from(YEARS), unique=True, max_size=len(YEARS))
MEASURE_SETS = st.lists(st.sampled_from(sorted(RANGES)), max_size=4)
NOTES = st.lists(
    st.builds(Note, st.sampled_from(NOTE_AREAS), st.sampled_from(RISK_GRADES), days(date(2024, 1, 1), AS_OF)),
    max_size=4,
)
SCHOOL_IDS = st.integers(1, 10_000)
OPEN_DATES = st.none() | days(date(2005, 1, 1), date(2026, 9, 1))


@st.composite
def inspection(draw) -> InspectionFacts:
    """One inspection of a random shape, with grades and dates that shape can have."""
    shape = draw(SHAPES)
    if shape == Shape.GRADED:
        grade = draw(GRADES)
        return InspectionFacts(
            shape,
            draw(GRADED_DAYS),
            overall_effectiveness=grade,
            category_of_concern=draw(CONCERNS) if grade == 4 else "",
            key_judgements=draw(KEY_JUDGEMENTS),
        )
    if shape == Shape.JUDGEMENTS_ONLY:
        return InspectionFacts(shape, draw(JUDGEMENTS_ONLY_DAYS), key_judgements=draw(SOME_KEY_JUDGEMENTS))
    if shape == Shape.REPORT_CARD:
        areas, safeguarding = draw(REPORT_CARD_GRADES), draw(SAFEGUARDING)
        return InspectionFacts(
            shape,
            draw(REPORT_CARD_DAYS),
            category_of_concern=ofsted.report_card_concern(areas, safeguarding),
            report_card=areas,
            safeguarding_met=safeguarding,
        )
    return InspectionFacts(shape, draw(ANY_DAY), ungraded_outcome="School remains good")


INSPECTIONS = st.lists(inspection(), max_size=3)


def figure(draw, code: str, year: int) -> Figure:
    """A school's figure for a year with the national figure (the roll has none)."""
    return Figure(code, year, draw(value(code)), None if code in ROLL else draw(value(code)))


@st.composite
def school_facts(draw, always: tuple[str, ...] = ()) -> SchoolFacts:
    """0–3 inspections, figures for a few measures over 2014–2019 (with nationals), 0–4 notes;
    at least one figure for each measure in ``always``."""
    figures = []
    for code in sorted(set(draw(MEASURE_SETS)) | set(always)):
        years = sorted(draw(YEAR_SETS)) or ([2018] if code in always else [])
        figures += [figure(draw, code, year) for year in years]
    return SchoolFacts(
        school_id=draw(SCHOOL_IDS),
        open_date=draw(OPEN_DATES),
        inspections=tuple(draw(INSPECTIONS)),
        figures=tuple(figures),
        notes=tuple(draw(NOTES)),
    )


def category_rank(facts: SchoolFacts, code: str) -> int:
    spec = framework(code)
    return rank(spec, rules.evaluate(facts, spec, AS_OF).category)


# Same input, same output -------------------------------------------------------------------------


@pytest.mark.parametrize("code", FRAMEWORKS)
@PROPERTY
@given(facts=school_facts())
def test_the_same_facts_always_give_the_same_proposal(code, facts):
    spec = framework(code)
    first = rules.evaluate(facts, spec, AS_OF)
    again = rules.evaluate(facts, spec, AS_OF)
    # The same facts listed in another order (the loader sorts them, but nothing should depend on it).
    copied = rules.evaluate(dataclasses.replace(facts, figures=tuple(reversed(facts.figures))), spec, AS_OF)
    assert first == again == copied
    assert first.result_hash == again.result_hash == copied.result_hash
    assert first.category in {c.code for c in spec.categories}


# More risk never means less support -------------------------------------------------------------


@pytest.mark.parametrize("code", FRAMEWORKS)
@PROPERTY
@given(
    facts=school_facts(),
    area=st.sampled_from(NOTE_AREAS),
    noted_on=days(windows.add_months(AS_OF, -12), AS_OF),
)
def test_a_recent_note_graded_high_never_lowers_the_category(code, facts, area, noted_on):
    worse = dataclasses.replace(facts, notes=(*facts.notes, Note(area, "high", noted_on)))
    assert category_rank(worse, code) >= category_rank(facts, code)


@pytest.mark.parametrize("code", FRAMEWORKS)
@PROPERTY
@given(
    data=st.data(),
    facts=school_facts(always=("abs_overall_pct", "abs_persistent10_pct")),
    increase=st.integers(1, 200).map(lambda n: Decimal(n) / 10),
)
def test_higher_absence_never_lowers_the_category(code, data, facts, increase):
    absence = [i for i, f in enumerate(facts.figures) if f.code in ABSENCE]
    index = data.draw(st.sampled_from(absence), label="absence figure made worse")
    figures = list(facts.figures)
    figures[index] = figures[index]._replace(value=figures[index].value + increase)
    worse = dataclasses.replace(facts, figures=tuple(figures))
    assert category_rank(worse, code) >= category_rank(facts, code)


def below_national_year(data, facts: SchoolFacts, measure: str) -> Figure:
    """A year below national for a measure: a year missing before its latest year, or the year
    straight after its latest, no better than that latest year (the results did not improve)."""
    series = facts.series(measure)
    low, high, places = RANGES[measure]
    step = Decimal(1).scaleb(-places)
    missing = [year for year in YEARS if year not in {f.year for f in series}]
    if series:
        missing = [year for year in missing if year < series[-1].year]
    if series and (not missing or data.draw(st.booleans(), label="the year after the latest")):
        year, ceiling = series[-1].year + 1, series[-1].value - step
    else:
        year, ceiling = data.draw(st.sampled_from(missing), label="missing year"), Decimal(high)
    national = data.draw(value(measure), label="national")
    top = min(ceiling, national - step)
    school = data.draw(st.integers(int((low - 1) / step), int(top / step)).map(lambda n: n * step), label="school")
    return Figure(measure, year, school, national)


@pytest.mark.parametrize("code", FRAMEWORKS)
@PROPERTY
@given(data=st.data(), facts=school_facts(), measure=st.sampled_from(sorted(OUTCOMES)))
def test_another_year_below_national_never_lowers_the_category(code, data, facts, measure):
    added = below_national_year(data, facts, measure)
    assert added.value < added.national
    assert added.year not in {f.year for f in facts.series(measure)}
    worse = dataclasses.replace(facts, figures=(*facts.figures, added))
    assert category_rank(worse, code) >= category_rank(facts, code)


# The result hash ---------------------------------------------------------------------------------

INADEQUATE = SchoolFacts(1, inspections=(graded(date(2024, 3, 1), 4),))
GOOD = SchoolFacts(1, inspections=(graded(date(2024, 3, 1), 2),))


@pytest.mark.parametrize("code", FRAMEWORKS)
@PROPERTY
@given(one=school_facts(), other=school_facts())
@example(one=INADEQUATE, other=GOOD)
def test_a_different_category_always_has_a_different_result_hash(code, one, other):
    spec = framework(code)
    first, second = rules.evaluate(one, spec, AS_OF), rules.evaluate(other, spec, AS_OF)
    if first.category != second.category:
        assert first.result_hash != second.result_hash
    else:
        assert (first.result_hash == second.result_hash) == (first.as_dict() == second.as_dict())


def test_the_hash_example_really_changes_the_category():
    spec = framework("tiered")
    assert rules.evaluate(INADEQUATE, spec, AS_OF).category != rules.evaluate(GOOD, spec, AS_OF).category


def test_the_strategy_uses_real_measure_codes():
    assert set(RANGES) <= set(measures.BY_CODE)


# The loader's grouped figures and the stored result ----------------------------------------------


def grouped(facts: SchoolFacts) -> SchoolFacts:
    """The same facts as ``selectors.load_facts`` gives them: figures with a value, by measure,
    oldest year first."""
    series: dict[str, list[Figure]] = {}
    for f in sorted(facts.figures, key=lambda f: (f.code, f.year)):
        if f.value is not None:
            series.setdefault(f.code, []).append(f)
    return dataclasses.replace(facts, figures=(), series_by_measure=series)


@pytest.mark.parametrize("code", FRAMEWORKS)
@PROPERTY
@given(facts=school_facts())
def test_figures_grouped_by_the_loader_give_the_same_proposal_and_hash(code, facts):
    spec = framework(code)
    proposal = rules.evaluate(facts, spec, AS_OF)
    assert rules.evaluate(grouped(facts), spec, AS_OF) == proposal
    # The stored JSON and the hash are encoded once; they are what encoding the whole payload gives.
    assert json.loads(proposal.fired_json) == proposal.as_dict()["fired"]
    whole = json.dumps(proposal.as_dict(), sort_keys=True, default=str)
    assert proposal.result_hash == hashlib.sha256(whole.encode()).hexdigest()


def test_facts_take_figures_or_grouped_series_not_both():
    with pytest.raises(ValueError, match="not both"):
        SchoolFacts(school_id=1, figures=(Figure("abs_overall_pct", 2018, Decimal(5)),), series_by_measure={})

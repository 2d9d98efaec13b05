"""The built-in frameworks as their policies are written (issue 21), as new versions.

Shipped as data, like 0002: later changes are new versions made in the portal, never edits here.
Each authority gets, for each built-in framework:
- a new version, made active, where the version in use is still the one first shipped (the old
  one is retired, its assessments kept); otherwise a draft to review, unless a draft exists;
- and the Welsh framework that replaced national categorisation from 2022 (schools causing
  concern), inactive.

What changed, rule by rule, is in docs/seeds.md:
- every trigger that reads published figures reads no more than three academic years back
  (``max_age_years``); older figures are reported as too old and fire nothing;
- a new headteacher is information only: it schedules the new-head visit, never moves a category;
- Warwickshire: 2A and 2B from the direction of travel of the results over the last three
  published years, only for a school judged good (or its equivalent); a school never inspected is
  "Not yet inspected", not 2A; the support each category brings, as the policy's appendix sets it;
- Wales: the standards group (step 1) is Welsh data recorded by the authority, the capacity to
  improve (step 2) the challenge adviser's judgement agreed with the authority, and step 3 the
  matrix; a school without both is "Not yet categorised", never Green.
"""

import importlib

from django.db import migrations

from accounts.authorities import current_authority_id, working_in

shipped = importlib.import_module("categorisation.migrations.0002_builtin_frameworks")

NOTES = "As the policy is written (issue 21)."
SEED_000, SEED_001, SEED_002, DESIGN_6 = shipped.SEED_000, shipped.SEED_001, shipped.SEED_002, shipped.DESIGN_6
NSCS = (
    "Welsh Government, National School Categorisation System (introduced September 2014; guidance for "
    "schools, local authorities and regional consortia; gov.wales 'School categorisation'): step 1 a "
    "standards group 1–4 from Welsh data, step 2 the challenge adviser's judgement of the capacity to "
    "improve A–D agreed with the local authority, step 3 the support category"
)
WALES_2022 = (
    "Welsh Government, School improvement guidance: framework for evaluation, improvement and "
    "accountability (2022), which ended national categorisation: schools causing concern are those in "
    "Estyn follow-up and those the local authority is concerned about (School Standards and "
    "Organisation (Wales) Act 2013, Part 2)"
)
AGE = 3  # academic years a figure trigger may read back
FIGURE_TRIGGERS = {
    "outcomes_below_national",
    "outcomes_below_floor",
    "outcomes_decline",
    "disadvantaged_gap",
    "absence_overall",
    "absence_persistent",
    "exclusions_rising",
    "falling_roll",
}
NEW_HEAD = (
    f"{shipped.SEED_003}: 'All new headteachers, including interim headteachers, will receive a visit … in "
    "the first half term'. Information only: a new headteacher schedules that visit and never moves a "
    "category by itself."
)


def _aged(code):
    label, kind, params, severity, passage = shipped.TRIGGERS[code]
    if code in FIGURE_TRIGGERS:
        return label, kind, {**params, "max_age_years": AGE}, severity, passage
    if code == "new_headteacher":
        return label, kind, params, 0, NEW_HEAD
    return label, kind, params, severity, passage


# code: (label, kind, params, severity, passage)
TRIGGERS = {
    **{code: _aged(code) for code in shipped.TRIGGERS},
    "ofsted_good": (
        "Ofsted: good at the latest inspection, or its equivalent",
        "good_or_equivalent",
        {},
        0,
        f"{SEED_002}: categories 2A 'Good – Improving' and 2B 'Good – Declining'. From September 2024 (no "
        "overall grade) every key judgement good or better; a report card at the expected standard or above.",
    ),
    "results_declining": (
        "Results declining over the last three published years",
        "direction",
        {"measures": shipped.OUTCOME_MEASURES, "years": 3, "direction": "declining", "max_age_years": AGE + 1},
        2,
        f"{SEED_002}: 2B 'Good – Declining', 3A 'Satisfactory – Declining': the direction of the school's "
        "results, each published year worse than the one before.",
    ),
    "results_improving": (
        "Results improving over the last three published years",
        "direction",
        {"measures": shipped.OUTCOME_MEASURES, "years": 3, "direction": "improving", "max_age_years": AGE + 1},
        0,
        f"{SEED_002}: 2A 'Good – Improving', 3B 'Satisfactory – Improving'.",
    ),
    "not_inspected": (
        "No Ofsted inspection on record",
        "no_inspection",
        {},
        0,
        f"{SEED_002}: the categories rest on Ofsted outcomes; a school never inspected has none "
        "('new academies which have not yet had their first Ofsted inspection' are counted apart).",
    ),
    "standards_group": (
        "Standards group (step 1)",
        "standards_group",
        {"max_age_years": 1},
        0,
        f"{NSCS}. {SEED_001}: 'Twelve out of 26 schools are in standards group 1 and a further 7 in standards "
        "group 2'.",
    ),
    "capacity_to_improve": (
        "Capacity to improve, agreed (step 2)",
        "capacity_to_improve",
        {"max_age_years": 1},
        0,
        f"{NSCS}. {SEED_001}: 'Annual review meetings to categorise schools involving Challenge Advisers and "
        "Local Authority officers … assess the capability of a school's leadership and management'.",
    ),
    "estyn_special_measures": (
        "Estyn: special measures",
        "estyn_follow_up",
        {"statuses": ["special_measures"]},
        4,
        f"{WALES_2022}. {SEED_001}: 'Currently there is one school in need of significant improvement and no "
        "schools in special measures'.",
    ),
    "estyn_significant_improvement": (
        "Estyn: in need of significant improvement",
        "estyn_follow_up",
        {"statuses": ["significant_improvement"]},
        3,
        f"{WALES_2022}.",
    ),
    "estyn_review": (
        "Estyn review",
        "estyn_follow_up",
        {"statuses": ["estyn_review"]},
        2,
        f"{WALES_2022}.",
    ),
    "authority_concern": (
        "The authority's own concern: intelligence graded high",
        "intelligence",
        {
            "areas": ["leadership", "governance", "safeguarding", "finance", "hr", "complaints", "staffing"],
            "min_grade": "high",
            "months": 12,
        },
        2,
        f"{WALES_2022}. {SEED_001}: 'schools with identified risks are discussed' at the monthly risk "
        "management conferences.",
    ),
}

ENGLAND_TRIGGERS = list(shipped.ENGLAND_TRIGGERS)
WARWICKSHIRE_TRIGGERS = [*ENGLAND_TRIGGERS, "ofsted_good", "results_declining", "results_improving", "not_inspected"]
WALES_TRIGGERS = [
    "standards_group",
    "capacity_to_improve",
    "estyn_special_measures",
    "estyn_significant_improvement",
    "estyn_review",
    "leadership_intelligence",
    "safeguarding_intelligence",
    "budget_deficit",
    "new_headteacher",
]
WALES_2022_TRIGGERS = [
    "estyn_special_measures",
    "estyn_significant_improvement",
    "estyn_review",
    "authority_concern",
    "safeguarding_intelligence",
    "new_headteacher",
]

CORE_OFFER = "Core CPD offer for all schools: termly headteacher business meetings; no visit from an officer."
# code, label, colour, rank, adviser days, other days, meetings a year, brokered, summary, cadence, visits
WARWICKSHIRE = [
    (
        "NI",
        "Not yet inspected",
        "grey",
        0,
        0,
        0,
        0,
        False,
        "No Ofsted outcome to categorise on yet. " + CORE_OFFER,
        "",
        "",
    ),
    ("1", "1 Outstanding", "turquoise", 1, 0, 0, 3, False, "Peer support. " + CORE_OFFER, "termly", ""),
    ("2A", "2A Good – improving", "green", 2, 0, 0, 3, False, "School-to-school support. " + CORE_OFFER, "termly", ""),
    ("2B", "2B Good – declining", "blue", 3, 0, 0, 3, False, "School-to-school support. " + CORE_OFFER, "termly", ""),
    (
        "3B",
        "3B Satisfactory – improving",
        "yellow",
        4,
        0,
        0,
        3,
        True,
        "Desktop exercise; termly seminars. " + shipped.WARWICKSHIRE_FUNDING,
        "termly",
        "No visit: a desktop exercise",
    ),
    (
        "3A",
        "3A Satisfactory – declining",
        "orange",
        5,
        0,
        0,
        3,
        True,
        "Desktop exercise, a diagnostic visit, a report to the head and chair with recommendations; support "
        "brokered if needed; termly seminars. " + shipped.WARWICKSHIRE_FUNDING,
        "termly",
        "One diagnostic visit",
    ),
    (
        "3D",
        "3D Requires improvement with good leadership",
        "orange",
        6,
        0,
        0,
        3,
        True,
        "Attached LA officer; support brokered if needed; a review visit with a report to the head and governors; "
        "termly seminars to share best practice.",
        "termly",
        "Half-termly visits",
    ),
    (
        "3C",
        "3C Requires improvement",
        "red",
        7,
        0,
        0,
        3,
        True,
        "Attached LA officer; support brokered (NLE, LLE, SLE, outside agency); termly review visits against the "
        "improvement plan's milestones; termly review and intervention meetings chaired by the service manager.",
        "termly",
        "3 weekly visits from the attached officer",
    ),
    (
        "4",
        "4 Inadequate – serious weaknesses or special measures",
        "purple",
        8,
        0,
        0,
        6,
        True,
        "LA responsibility with the consortium: attached LA officer managing the interface with the DfE and HMI; "
        "support brokered; half-termly review visits; half-termly review and intervention meetings chaired by "
        "the service manager; regular impact reports from all external partners.",
        "half_termly",
        "2 weekly visits from the attached officer",
    ),
]
WARWICKSHIRE_RULES = [
    shipped.WARWICKSHIRE_RULES[0],  # 4
    shipped.WARWICKSHIRE_RULES[1],  # 3D
    shipped.WARWICKSHIRE_RULES[2],  # 3C
    ("3A", ["ofsted_satisfactory", "results_declining"], [], 1, None, 1, "satisfactory, results declining"),
    ("3B", ["ofsted_satisfactory"], [], 1, None, 1, "satisfactory, results not declining"),
    ("1", ["ofsted_outstanding"], [], 1, None, 1, "outstanding"),
    ("2B", ["ofsted_good", "results_declining"], [], 1, None, 1, "good, results declining"),
    ("2A", ["ofsted_good"], [], 1, None, 1, "good, results improving or steady"),
    ("NI", ["not_inspected"], [], 1, None, 1, "never inspected"),
]

AMBER = (
    "A school in need of improvement: up to 15 days of support; the consortium signs off its self-evaluation "
    "and improvement plan; a consultant governor brokered to support the governing body (seed 001)."
)
# code, label, colour, rank, adviser days, other days, meetings a year, brokered, summary, cadence, visits
WALES = [
    (
        "uncategorised",
        "Not yet categorised",
        "grey",
        0,
        0,
        0,
        0,
        False,
        "No support category until both the standards group and the agreed capacity to improve are recorded.",
        "",
        "",
    ),
    ("green", "Green", "green", 1, 4, 0, 3, False, "A highly effective school: up to 4 days of support.", "termly", ""),
    ("yellow", "Yellow", "yellow", 2, 10, 0, 3, False, "An effective school: up to 10 days of support.", "termly", ""),
    ("amber", "Amber", "orange", 3, 15, 0, 3, True, AMBER, "termly", ""),
    (
        "red",
        "Red",
        "red",
        4,
        25,
        0,
        12,
        True,
        "A school in need of greatest improvement: up to 25 days of support; a warning letter from the local "
        "authority and statutory powers where necessary; discussed at the monthly risk management conference.",
        "monthly",
        "",
    ),
]
WALES_MATRIX = {
    "standards_trigger": "standards_group",
    "capacity_trigger": "capacity_to_improve",
    "uncategorised": "uncategorised",
    "cells": dict(shipped.WALES_MATRIX["cells"]),
}
WALES_2022 = [
    ("none", "Not causing concern", "green", 0, 0, 0, 0, False, "Universal support from the consortium.", "", ""),
    (
        "estyn_review",
        "Estyn review",
        "yellow",
        1,
        0,
        0,
        3,
        False,
        "Support to address Estyn's recommendations.",
        "termly",
        "",
    ),
    (
        "la_concern",
        "Causing concern to the authority",
        "orange",
        2,
        0,
        0,
        12,
        True,
        "Discussed at the monthly risk management conference; an informal warning notice and recovery plan "
        "before any statutory warning notice.",
        "monthly",
        "",
    ),
    (
        "sig_improvement",
        "In need of significant improvement",
        "red",
        3,
        0,
        0,
        12,
        True,
        "Estyn follow-up: the authority's statement of action; monthly risk management conference.",
        "monthly",
        "",
    ),
    (
        "special_measures",
        "Special measures",
        "purple",
        4,
        0,
        0,
        12,
        True,
        "Estyn follow-up: the authority's statement of action; statutory powers; monthly risk management conference.",
        "monthly",
        "",
    ),
]
WALES_2022_RULES = [
    ("special_measures", [], ["estyn_special_measures"], 1, None, 1, "in special measures after an Estyn inspection"),
    (
        "sig_improvement",
        [],
        ["estyn_significant_improvement"],
        1,
        None,
        1,
        "in need of significant improvement after an Estyn inspection",
    ),
    ("la_concern", [], ["authority_concern", "safeguarding_intelligence"], 1, None, 1, "the authority's own concern"),
    ("estyn_review", [], ["estyn_review"], 1, None, 1, "in Estyn review"),
]

FRAMEWORKS = [
    {
        "code": "tiered",
        "categories": [(*row, "", "") for row in shipped.TIERED],
        "default": "overview",
        "triggers": ENGLAND_TRIGGERS,
        "rules": shipped.TIERED_RULES,
        "matrix": {},
    },
    {
        "code": "warwickshire",
        "categories": WARWICKSHIRE,
        "default": "NI",
        "triggers": WARWICKSHIRE_TRIGGERS,
        "rules": WARWICKSHIRE_RULES,
        "matrix": {},
    },
    {
        "code": "wales",
        "categories": WALES,
        "default": "uncategorised",
        "triggers": WALES_TRIGGERS,
        "rules": [],
        "matrix": WALES_MATRIX,
    },
    {
        "code": "wales_concern",
        "new": {
            "name": "Wales: schools causing concern (from 2022)",
            "description": "Estyn follow-up and the authority's own concerns, which replaced national categorisation.",
            "source": WALES_2022,
            "mapping": "rules",
        },
        "categories": WALES_2022,
        "default": "none",
        "triggers": WALES_2022_TRIGGERS,
        "rules": WALES_2022_RULES,
        "matrix": {},
    },
]


def _fill(apps, version, spec) -> None:
    Category = apps.get_model("categorisation", "Category")
    TriggerDefinition = apps.get_model("categorisation", "TriggerDefinition")
    MappingRule = apps.get_model("categorisation", "MappingRule")
    for code, label, colour, rank, adviser, other, meetings, brokered, summary, cadence, visits in spec["categories"]:
        Category.objects.create(
            version=version,
            code=code,
            label=label,
            colour=colour,
            rank=rank,
            adviser_days=adviser,
            teaching_adviser_days=other,
            progress_meetings_per_year=meetings,
            brokered_support=brokered,
            support_summary=summary,
            meeting_cadence=cadence,
            visit_pattern=visits,
        )
    for order, code in enumerate(spec["triggers"]):
        label, kind, params, severity, passage = TRIGGERS[code]
        TriggerDefinition.objects.create(
            version=version,
            code=code,
            label=label,
            kind=kind,
            params=params,
            severity=severity,
            passage=passage,
            order=order,
        )
    for order, (category, all_of, any_of, min_any, min_severity, min_count, description) in enumerate(
        spec["rules"], start=1
    ):
        MappingRule.objects.create(
            version=version,
            order=order,
            category_code=category,
            all_of=all_of,
            any_of=any_of,
            min_any=min_any,
            min_severity=min_severity,
            min_count=min_count,
            description=description,
        )


def ship(apps, authority_id: int) -> None:
    """One authority's new versions (and its copy of the 2022 Welsh framework)."""
    Framework = apps.get_model("categorisation", "Framework")
    FrameworkVersion = apps.get_model("categorisation", "FrameworkVersion")
    for spec in FRAMEWORKS:
        framework = Framework.objects.filter(authority_id=authority_id, code=spec["code"]).first()
        if framework is None and "new" in spec:
            framework = Framework.objects.create(authority_id=authority_id, code=spec["code"], **spec["new"])
        if framework is None or FrameworkVersion.objects.filter(framework=framework, notes=NOTES).exists():
            continue
        versions = FrameworkVersion.objects.filter(framework=framework)
        active = versions.filter(status="active").first()
        if active is None or (active.number == 1 and active.notes == "As shipped."):
            status = "active"
            versions.filter(status="active").update(status="retired")
        elif versions.filter(status="draft").exists():
            continue  # the authority is changing the framework: it adopts this or not through its own draft
        else:
            status = "draft"
        version = FrameworkVersion.objects.create(
            framework=framework,
            number=max([0, *versions.values_list("number", flat=True)]) + 1,
            status=status,
            notes=NOTES,
            default_category=spec["default"],
            matrix=spec["matrix"],
            based_on=active,
        )
        _fill(apps, version, spec)


def create(apps, schema_editor):
    """Every authority's new versions, or (called by ``accounts.authorities.copy_as_shipped`` for a
    new authority, inside it) the current authority's."""
    Authority = apps.get_model("accounts", "Authority")
    current = current_authority_id()
    for pk in [current] if current else Authority.objects.order_by("pk").values_list("pk", flat=True):
        with working_in(pk):
            ship(apps, pk)


class Migration(migrations.Migration):
    dependencies = [("categorisation", "0009_welsh_standards_groups_and_capacity")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

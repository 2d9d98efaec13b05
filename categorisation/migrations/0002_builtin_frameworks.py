"""The three built-in frameworks, as data (issue 4; DESIGN §2 step 3, §6).

The definitions live in this migration on purpose: they are the frameworks as first shipped.
Later changes are made as new framework versions in the portal, never by editing this file.
"""

from django.db import migrations

SEED_000 = "Seed 000, Worcestershire tiered support"
SEED_001 = "Seed 001, Vale of Glamorgan / Welsh national categorisation"
SEED_002 = "Seed 002, Warwickshire consortium model"
SEED_003 = "Seed 003, Oxfordshire improvement guarantee"
DESIGN_6 = "DESIGN §6, sector rules"

# Measures the performance triggers read (see schools/measures.py).
OUTCOME_MEASURES = [
    "ks2_read_progress_pct",
    "ks2_write_progress_pct",
    "ks2_maths_progress_pct",
    "ks2_aps",
    "ks4_p8",
    "ks4_att8",
    "ks4_basics_94_pct",
]

# code: (label, kind, params, severity, passage)
TRIGGERS = {
    "ofsted_inadequate": (
        "Ofsted: inadequate at the latest inspection",
        "overall_effectiveness",
        {"grades": [4]},
        4,
        f"{SEED_000}: 'Intensive Support Schools – … currently judged as inadequate'.",
    ),
    "ofsted_special_measures": (
        "Ofsted: special measures",
        "category_of_concern",
        {"categories": ["special_measures"]},
        4,
        f"{DESIGN_6}: categories of concern (special measures).",
    ),
    "ofsted_serious_weaknesses": (
        "Ofsted: serious weaknesses",
        "category_of_concern",
        {"categories": ["serious_weaknesses"]},
        4,
        f"{DESIGN_6}: categories of concern (serious weaknesses).",
    ),
    "ofsted_significant_improvement": (
        "Ofsted: requires significant improvement (report card)",
        "category_of_concern",
        {"categories": ["requires_significant_improvement"]},
        4,
        f"{DESIGN_6}: a report card with an area at urgent improvement or safeguarding not met.",
    ),
    "ofsted_requires_improvement": (
        "Ofsted: requires improvement at the latest inspection",
        "overall_effectiveness",
        {"grades": [3], "since": "2012-09-01"},
        2,
        f"{SEED_000}: 'Focused Support Schools – … currently RI'.",
    ),
    "ofsted_satisfactory": (
        "Ofsted: satisfactory at the latest inspection (before September 2012)",
        "overall_effectiveness",
        {"grades": [3], "before": "2012-09-01"},
        2,
        f"{SEED_002}: categories 3A and 3B, 'Satisfactory'.",
    ),
    "ofsted_outstanding": (
        "Ofsted: outstanding at the latest inspection",
        "overall_effectiveness",
        {"grades": [1]},
        0,
        f"{SEED_002}: category 1, 'Outstanding'.",
    ),
    "ofsted_stuck": (
        "Ofsted: requires improvement, and below good the time before (stuck)",
        "stuck",
        {},
        3,
        f"{DESIGN_6}: 'Coasting / stuck schools. RI at the latest graded inspection and below good at the previous one.'",
    ),
    "rc_urgent_improvement": (
        "Report card: an area at urgent improvement",
        "report_card_areas",
        {"grade": 5, "min_areas": 1},
        4,
        f"{DESIGN_6}: report card areas graded on five points; urgent improvement.",
    ),
    "rc_needs_attention": (
        "Report card: areas that need attention",
        "report_card_areas",
        {"grade": 4, "min_areas": 1},
        2,
        f"{DESIGN_6}: 'A school with any area at needs attention gets monitoring inspections'.",
    ),
    "rc_safeguarding_not_met": (
        "Report card: safeguarding standards not met",
        "safeguarding_not_met",
        {},
        4,
        f"{DESIGN_6}: safeguarding met / not met.",
    ),
    "judgements_inadequate": (
        "Ofsted 2024–25: a key judgement inadequate",
        "key_judgements",
        {"grade": 4},
        4,
        f"{DESIGN_6}: inspections between September 2024 and November 2025 have sub-judgements only.",
    ),
    "judgements_requires_improvement": (
        "Ofsted 2024–25: a key judgement requires improvement",
        "key_judgements",
        {"grade": 3},
        2,
        f"{DESIGN_6}: inspections between September 2024 and November 2025 have sub-judgements only.",
    ),
    "leadership_good": (
        "Ofsted: leadership good or better",
        "leadership",
        {"judged": "good"},
        0,
        f"{SEED_002}: category 3D, 'Requires Improvement with good leadership'.",
    ),
    "leadership_weak": (
        "Ofsted: leadership below good",
        "leadership",
        {"judged": "weak"},
        2,
        f"{SEED_001}: capacity to improve reflects the quality of leadership.",
    ),
    "inspection_window_due": (
        "Next inspection due: window open or overdue",
        "inspection_window",
        {
            "statuses": ["open", "overdue"],
            "outcomes": ["outstanding", "good", "rc_expected_or_above", "judgements_only"],
        },
        1,
        f"{SEED_003}: 'The risk of being judged less than Good at the school's next inspection'; visits "
        "'prioritised … by inspection due date'.",
    ),
    "outcomes_below_national": (
        "Outcomes below national two years running",
        "below_national",
        {"measures": OUTCOME_MEASURES, "years": 2},
        2,
        f"{SEED_003}: 'Patterns of low attainment over 2 years; patterns of progress below average over 2 years'.",
    ),
    "outcomes_below_floor": (
        "Outcomes below the floor",
        "below_floor",
        {"floors": {"ks4_p8": -0.5}},
        3,
        f"{SEED_002}: 'the DfE's definition of underperforming schools where results are judged to be below "
        "the floor'.",
    ),
    "outcomes_decline": (
        "Outcomes falling three years running",
        "decline",
        {"measures": OUTCOME_MEASURES, "years": 3},
        2,
        f"{SEED_002}: categories 2B and 3A, 'declining'.",
    ),
    "disadvantaged_gap": (
        "Disadvantaged gap wider than national",
        "below_national",
        {"measures": ["ks2_disadvantaged_gap", "ks4_disadvantaged_gap"], "higher_is_better": False, "years": 1},
        1,
        f"{SEED_003}: 'Concerns around attainment and progress for all groups of pupils'.",
    ),
    "absence_overall": (
        "Overall absence worse than national",
        "worse_than_national_by",
        {"measures": ["abs_overall_pct"], "margin": 1.0},
        2,
        f"{SEED_003}: 'Concerns about attendance and/or exclusions'.",
    ),
    "absence_persistent": (
        "Persistent absence worse than national",
        "worse_than_national_by",
        {"measures": ["abs_persistent10_pct", "abs_persistent15_pct"], "margin": 5.0},
        2,
        f"{SEED_003}: 'Patterns of low attendance/high exclusion over 2 years'.",
    ),
    "exclusions_rising": (
        "Suspensions or exclusions rising",
        "decline",
        {"measures": ["excl_suspension_rate", "excl_permanent_rate"], "higher_is_better": False, "years": 3},
        2,
        f"{SEED_003}: 'Concerns about attendance and/or exclusions'.",
    ),
    "falling_roll": (
        "Falling roll",
        "falling_roll",
        {"measure": "census_nor", "percent": 10, "years": 3},
        1,
        f"{SEED_002}: 'First preferences, exclusion rates, financial or HR concerns'.",
    ),
    "budget_deficit": (
        "Budget deficit (finance intelligence graded high)",
        "intelligence",
        {"areas": ["finance"], "min_grade": "high", "months": 12},
        2,
        f"{SEED_002}: internal LA information, 'financial or HR concerns'.",
    ),
    "new_headteacher": (
        "New or acting headteacher",
        "intelligence",
        {"areas": ["new_headteacher"], "min_grade": "low", "months": 12},
        1,
        f"{SEED_003}: 'All new headteachers, including interim headteachers, will receive a visit … in the first "
        "half term'.",
    ),
    "leadership_intelligence": (
        "Leadership, governance, HR or complaints intelligence graded high",
        "intelligence",
        {"areas": ["leadership", "governance", "hr", "complaints", "staffing"], "min_grade": "high", "months": 12},
        2,
        f"{SEED_003}: 'Concerns or vulnerabilities around leadership and management, including the effectiveness "
        "of governance'.",
    ),
    "safeguarding_intelligence": (
        "Safeguarding intelligence graded high",
        "intelligence",
        {"areas": ["safeguarding"], "min_grade": "high", "months": 12},
        3,
        f"{SEED_003}: 'Concerns around safeguarding'.",
    ),
}

ENGLAND_TRIGGERS = [code for code in TRIGGERS if code != "leadership_weak"]
WALES_TRIGGERS = [
    "outcomes_below_national",
    "outcomes_below_floor",
    "outcomes_decline",
    "absence_overall",
    "absence_persistent",
    "leadership_weak",
    "leadership_intelligence",
    "safeguarding_intelligence",
    "budget_deficit",
    "new_headteacher",
]

# (code, label, colour, rank, adviser days, teaching adviser days, meetings a year, brokered, summary)
TIERED = [
    (
        "overview",
        "Overview",
        "green",
        0,
        1,
        0,
        0,
        False,
        "Likely to be good or outstanding at the next Ofsted inspection. One day of school improvement "
        "adviser support, as a single school or in a partnership.",
    ),
    (
        "focused",
        "Focused",
        "orange",
        1,
        4,
        0,
        3,
        False,
        "At risk of requires improvement at the next inspection, currently RI or 'wobbly 1 or 2'. Progress "
        "meetings with the area schools manager and an adviser; up to 3 more adviser days for the action plan.",
    ),
    (
        "intensive",
        "Intensive",
        "red",
        2,
        7,
        6,
        6,
        True,
        "At risk of inadequate at the next inspection, currently inadequate or with significant risks. At least "
        "half-termly progress meetings; up to 6 more adviser days; up to 6 days from learning and teaching "
        "advisers and/or brokered support from a teaching school, NLE or LLE.",
    ),
]

WARWICKSHIRE_FUNDING = (
    "Triggers differentiated funding for the consortium: the number of pupils multiplied by an amount per "
    "pupil ('x' in the document; set the amount per pupil here)."
)
WARWICKSHIRE = [
    ("1", "1 Outstanding", "turquoise", 0, 0, 0, 0, False, "Peer support; core CPD offer, no visit from an officer."),
    ("2A", "2A Good – improving", "green", 1, 0, 0, 0, False, "School-to-school support; core CPD offer."),
    ("2B", "2B Good – declining", "blue", 2, 0, 0, 0, False, "School-to-school support; core CPD offer."),
    ("3B", "3B Satisfactory – improving", "yellow", 3, 0, 0, 0, True, WARWICKSHIRE_FUNDING),
    ("3A", "3A Satisfactory – declining", "orange", 4, 0, 0, 0, True, WARWICKSHIRE_FUNDING),
    (
        "3D",
        "3D Requires improvement with good leadership",
        "orange",
        5,
        0,
        0,
        0,
        True,
        "Contact from the assigned officer with an offer to broker additional support.",
    ),
    (
        "3C",
        "3C Requires improvement",
        "red",
        6,
        0,
        0,
        0,
        True,
        "Contact from the assigned officer with an offer to broker additional support.",
    ),
    (
        "4",
        "4 Inadequate – serious weaknesses or special measures",
        "purple",
        7,
        0,
        0,
        0,
        True,
        "LA responsibility, working in partnership with the consortium; an attached LA officer manages the "
        "interface with the DfE and HMI.",
    ),
]

WALES = [
    ("green", "Green", "green", 0, 4, 0, 0, False, "A highly effective school: up to 4 days of support."),
    ("yellow", "Yellow", "yellow", 1, 10, 0, 0, False, "An effective school: up to 10 days of support."),
    ("amber", "Amber", "orange", 2, 15, 0, 0, True, "A school in need of improvement: up to 15 days of support."),
    ("red", "Red", "red", 3, 25, 0, 0, True, "A school in need of greatest improvement: up to 25 days of support."),
]

# (category, all_of, any_of, min_any, min_severity, min_count, description)
TIERED_RULES = [
    ("intensive", [], [], 1, 3, 1, "a critical or high risk: inadequate, a category of concern or significant risks"),
    ("focused", [], [], 1, 2, 1, "a medium risk: requires improvement or at risk of it"),
    ("focused", [], [], 1, 1, 2, "two or more lower risks together ('wobbly 1 or 2')"),
]
WARWICKSHIRE_RULES = [
    (
        "4",
        [],
        [
            "ofsted_inadequate",
            "ofsted_special_measures",
            "ofsted_serious_weaknesses",
            "ofsted_significant_improvement",
            "rc_urgent_improvement",
            "rc_safeguarding_not_met",
            "judgements_inadequate",
        ],
        1,
        None,
        1,
        "inadequate, serious weaknesses or special measures",
    ),
    (
        "3D",
        ["ofsted_requires_improvement", "leadership_good"],
        [],
        1,
        None,
        1,
        "requires improvement with good leadership",
    ),
    (
        "3C",
        [],
        ["ofsted_requires_improvement", "rc_needs_attention", "judgements_requires_improvement"],
        1,
        None,
        1,
        "requires improvement",
    ),
    ("3A", ["ofsted_satisfactory"], ["outcomes_decline", "outcomes_below_national"], 1, None, 1, "satisfactory and declining"),
    ("3B", [], ["ofsted_satisfactory"], 1, None, 1, "satisfactory and not declining"),
    (
        "2B",
        [],
        ["outcomes_decline", "outcomes_below_national", "outcomes_below_floor"],
        1,
        None,
        1,
        "good or better, but outcomes declining",
    ),
    ("1", [], ["ofsted_outstanding"], 1, None, 1, "outstanding"),
]
WALES_MATRIX = {
    "standards_triggers": [
        "outcomes_below_national",
        "outcomes_decline",
        "outcomes_below_floor",
        "absence_overall",
        "absence_persistent",
    ],
    "capacity_triggers": [
        "leadership_weak",
        "leadership_intelligence",
        "safeguarding_intelligence",
        "budget_deficit",
        "new_headteacher",
    ],
    # Each standards-group and capacity pair's support category. Monotone: a worse group or a
    # lower capacity never needs less support. Check against the current Welsh Government
    # guidance and adjust in a new version if it differs.
    "cells": {
        "1A": "green",
        "1B": "yellow",
        "1C": "amber",
        "1D": "red",
        "2A": "green",
        "2B": "yellow",
        "2C": "amber",
        "2D": "red",
        "3A": "yellow",
        "3B": "amber",
        "3C": "amber",
        "3D": "red",
        "4A": "amber",
        "4B": "amber",
        "4C": "red",
        "4D": "red",
    },
}

FRAMEWORKS = [
    {
        "code": "tiered",
        "name": "Tiered support",
        "description": "Overview, Focused and Intensive support, from a transparent risk assessment.",
        "source": SEED_000,
        "mapping": "rules",
        "active": True,
        "categories": TIERED,
        "default": "overview",
        "triggers": ENGLAND_TRIGGERS,
        "rules": TIERED_RULES,
        "matrix": {},
    },
    {
        "code": "warwickshire",
        "name": "Warwickshire categories",
        "description": "Categories 1, 2A, 2B, 3A, 3B, 3C, 3D and 4, from Ofsted outcomes and the direction of results.",
        "source": SEED_002,
        "mapping": "rules",
        "active": False,
        "categories": WARWICKSHIRE,
        "default": "2A",
        "triggers": ENGLAND_TRIGGERS,
        "rules": WARWICKSHIRE_RULES,
        "matrix": {},
    },
    {
        "code": "wales",
        "name": "Wales national categorisation",
        "description": "Standards group 1–4 and capacity to improve A–D give the support category.",
        "source": SEED_001,
        "mapping": "matrix",
        "active": False,
        "categories": WALES,
        "default": "green",
        "triggers": WALES_TRIGGERS,
        "rules": [],
        "matrix": WALES_MATRIX,
    },
]


def create(apps, schema_editor):
    Framework = apps.get_model("categorisation", "Framework")
    FrameworkVersion = apps.get_model("categorisation", "FrameworkVersion")
    Category = apps.get_model("categorisation", "Category")
    TriggerDefinition = apps.get_model("categorisation", "TriggerDefinition")
    MappingRule = apps.get_model("categorisation", "MappingRule")
    InspectionPolicySetting = apps.get_model("categorisation", "InspectionPolicySetting")
    InspectionPolicySetting.objects.get_or_create(pk=1)
    for spec in FRAMEWORKS:
        framework, created = Framework.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "description": spec["description"],
                "source": spec["source"],
                "mapping": spec["mapping"],
                "is_active": spec["active"],
            },
        )
        if not created:
            continue
        version = FrameworkVersion.objects.create(
            framework=framework,
            number=1,
            status="active",
            notes="As shipped.",
            default_category=spec["default"],
            matrix=spec["matrix"],
        )
        for code, label, colour, rank, adviser, teaching, meetings, brokered, summary in spec["categories"]:
            Category.objects.create(
                version=version,
                code=code,
                label=label,
                colour=colour,
                rank=rank,
                adviser_days=adviser,
                teaching_adviser_days=teaching,
                progress_meetings_per_year=meetings,
                brokered_support=brokered,
                support_summary=summary,
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


def remove(apps, schema_editor):
    apps.get_model("categorisation", "Framework").objects.filter(code__in=[f["code"] for f in FRAMEWORKS]).delete()


class Migration(migrations.Migration):
    dependencies = [("categorisation", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]

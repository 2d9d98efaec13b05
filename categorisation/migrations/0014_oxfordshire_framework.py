"""Oxfordshire's improvement guarantee as a framework of its own (issue 22), inactive until an
administrator chooses it.

Seed 003 sorts maintained schools into five kinds of support, from the latest inspection and
"transparent triggers": universal (an annual review visit with the headteacher and the chair of
governors), targeted good and outstanding schools (at most three days), bespoke work with good and
outstanding schools where significant concerns are identified (half-termly strategy meetings),
bespoke work with requires improvement schools (half-termly strategy meetings, good within four
terms) and inadequate schools (a Statement of Action, half-termly strategy meetings). Shipped as
data like 0002 and 0010: later changes are new versions made in the portal.
"""

import importlib

from django.db import migrations

shipped = importlib.import_module("categorisation.migrations.0002_builtin_frameworks")
frameworks = importlib.import_module("categorisation.migrations._frameworks")
evidence = importlib.import_module("categorisation.migrations.0012_tiered_evidence_the_seeds_name")

SEED_003 = shipped.SEED_003
SOURCE = (
    "Oxfordshire County Council, the improvement guarantee (seed 003): universal support, targeted and "
    "bespoke work with good and outstanding schools, bespoke work with requires improvement schools, "
    "inadequate schools"
)
INADEQUATE = [
    "ofsted_inadequate",
    "ofsted_special_measures",
    "ofsted_serious_weaknesses",
    "ofsted_significant_improvement",
    "rc_urgent_improvement",
    "rc_safeguarding_not_met",
    "judgements_inadequate",
]
REQUIRES_IMPROVEMENT = ["ofsted_requires_improvement", "judgements_requires_improvement", "rc_needs_attention"]
# "Schools will be prioritised where significant areas of concern have been identified using the
# triggers above plus: concerns around safeguarding; patterns of low attainment over 2 years; patterns
# of progress below average over 2 years; patterns of low attendance/high exclusion over 2 years;
# section 8 inspection outcome identifies risk of being judged … less than Good at the next inspection."
SIGNIFICANT = [
    "safeguarding_intelligence",
    "outcomes_below_national",
    "absence_persistent",
    "exclusions_high",
    "ofsted_ungraded_at_risk",
]
# "Schools will be prioritised for support using transparent triggers: concerns around attainment and
# progress for all groups of pupils; concerns about attendance and/or exclusions; concerns or
# vulnerabilities around leadership and management, including the effectiveness of governance; the risk
# of being judged less than Good at the school's next inspection."
TARGETED = [
    "disadvantaged_gap",
    "outcomes_decline",
    "absence_overall",
    "exclusions_rising",
    "leadership_intelligence",
    "governance_ineffective",
    "inspection_window_due",
    "early_years_at_risk",
]
# code: (label, kind, params, severity, passage): tiered support's, and the review of governance.
TRIGGERS = {
    **evidence.TRIGGERS,
    "early_years_at_risk": (
        "Early years judged below good at the latest inspection",
        "early_years",
        {},
        1,
        f"{SEED_003}: 'If Early Years within the school is deemed to be at risk of not being good, bespoke support "
        "will be brokered from the OCC Early Years Team'.",
    ),
    "governance_ineffective": (
        "A review of governance found it ineffective in the last two years",
        "governance_ineffective",
        {"years": 2},
        2,
        f"{SEED_003}: 'Concerns or vulnerabilities around leadership and management, including the effectiveness "
        "of governance'.",
    ),
}
OXFORDSHIRE_TRIGGERS = [  # each once
    *INADEQUATE,
    *REQUIRES_IMPROVEMENT,
    *SIGNIFICANT,
    *TARGETED,
    "ofsted_outstanding",
    "new_headteacher",
]

STRATEGY = (
    "Strategy meetings each half-term, chaired by a senior local authority officer, with the headteacher, the "
    "chair of governors, senior officers, the diocese link adviser as appropriate and the professionals giving "
    "the support"
)
# code, label, colour, rank, adviser days, other days, meetings a year, brokered, summary, cadence, visits
CATEGORIES = [
    (
        "universal",
        "Universal support",
        "green",
        0,
        1,
        0,
        0,
        False,
        "No triggers for targeted support: an annual review visit with the headteacher and the chair of governors "
        "(at least a one-day visit).",
        "",
        "An annual review visit with the headteacher and the chair of governors",
    ),
    (
        "targeted",
        "Targeted good or outstanding",
        "yellow",
        1,
        3,
        0,
        0,
        False,
        "A maximum of three days' support, visits prioritised for the autumn and spring terms and by inspection "
        "due date; early years support brokered from the early years team if early years is at risk.",
        "",
        "Visits in the autumn and spring terms, by inspection due date",
    ),
    (
        "bespoke",
        "Bespoke: good or outstanding with significant concerns",
        "orange",
        2,
        0,
        0,
        6,
        True,
        "Increased bespoke support on the school's areas for improvement, set out in a local authority support "
        f"plan with success criteria and impact measures. {STRATEGY}.",
        "half_termly",
        "",
    ),
    (
        "ri",
        "Requires improvement",
        "red",
        3,
        0,
        0,
        6,
        True,
        "A bespoke package so that the school is judged good at the next inspection, meeting the criteria for "
        f"good within four terms; a local authority support plan. {STRATEGY}.",
        "half_termly",
        "",
    ),
    (
        "inadequate",
        "Inadequate",
        "purple",
        4,
        0,
        0,
        6,
        True,
        "An academy order; the local authority's Statement of Action, with the support it funds or facilitates "
        f"and its help towards academy conversion. {STRATEGY}, and a representative of the trust once identified.",
        "half_termly",
        "",
    ),
]
RULES = [
    ("inadequate", [], INADEQUATE, 1, None, 1, "inadequate or in a category of concern at the latest inspection"),
    ("ri", [], REQUIRES_IMPROVEMENT, 1, None, 1, "requires improvement at the latest inspection"),
    ("bespoke", [], SIGNIFICANT, 1, None, 1, "a significant area of concern"),
    ("targeted", [], TARGETED, 1, None, 1, "a trigger for targeted support"),
]
FRAMEWORK = {
    "code": "oxfordshire",
    "new": {
        "name": "Oxfordshire: the improvement guarantee",
        "description": "Universal, targeted and bespoke support for good and outstanding schools, bespoke support "
        "for requires improvement schools, and inadequate schools.",
        "source": SOURCE,
        "mapping": "rules",
    },
    "categories": CATEGORIES,
    "default": "universal",
    "triggers": OXFORDSHIRE_TRIGGERS,
    "rules": RULES,
    "matrix": {},
}
FRAMEWORKS = [FRAMEWORK]
NOTES = "As the policy is written (issue 22)."


def ship(apps, authority_id: int) -> None:
    """The authority's copy of the framework, its first version in use once an administrator chooses
    the framework; nothing where the authority has a framework of that code already."""
    Framework = apps.get_model("categorisation", "Framework")
    if Framework.objects.filter(authority_id=authority_id, code=FRAMEWORK["code"]).exists():
        return
    frameworks.ship_version(apps, authority_id, FRAMEWORK, notes=NOTES, triggers=TRIGGERS)


def create(apps, schema_editor):
    """Every authority's copy, or (for a new authority, inside it) the current authority's."""
    frameworks.in_each_authority(apps, ship)


class Migration(migrations.Migration):
    dependencies = [("categorisation", "0013_trigger_kind_ungraded_signal")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

"""Tiered support (Worcestershire, Oxfordshire, Birmingham) with the evidence the seeds name (issue 22), as
a new version.

Shipped as data, like 0010: later changes are new versions made in the portal, never edits here.
For each authority's tiered framework, a new version made active where the version in use is the one
0010 (or 0002) shipped, the old one retired with its assessments kept; otherwise a draft to review,
unless a draft exists. What changed, rule by rule, is in docs/seeds.md:
- "over 2 years" reads the latest two years with data, not only consecutive ones: years with no
  publication (2019/20, 2020/21) are stepped over, within four years back (outcomes below national;
  persistent absence, which read one year; and high exclusions, new);
- an ungraded (section 8) inspection whose outcome signals that standards may not be maintained, a graded
  inspection to follow (seed 003's "Section 8 inspection outcome identifies risk", seed 004's inspection
  letter indicating "another Ofsted inspection within two years"), is a trigger with its date and source;
- pupils on part-time timetables or placements (seed 004), which DfE does not publish by school, are the
  authority's intelligence, a lower risk that moves a category with another.
"""

import importlib

from django.db import migrations

shipped = importlib.import_module("categorisation.migrations.0002_builtin_frameworks")
written = importlib.import_module("categorisation.migrations.0010_frameworks_as_written")
frameworks = importlib.import_module("categorisation.migrations._frameworks")

NOTES = "With the evidence the seeds name (issue 22)."
SEED_003, AGE = shipped.SEED_003, written.AGE
SEED_004 = "Seed 004, Birmingham school improvement framework"
# The latest two years with figures, no older than four academic years: in 2022/23 the results of
# 2021/22 and of 2018/19, the last published before the pandemic, make the pair.
LATEST_TWO = {"years": 2, "consecutive": False, "max_age_years": AGE + 1}
# 16 to 18 results (seed 004: "attainment in EYFS, KS1, KS2, KS4 and KS5"): average points per entry.
KS5_MEASURES = ["ks5_alevel_aps", "ks5_applied_general_aps", "ks5_tech_level_aps"]


# code: (label, kind, params, severity, passage)
TRIGGERS = {
    **written.TRIGGERS,
    "outcomes_below_national": (
        "Outcomes below national in the latest two years with data",
        "below_national",
        {"measures": [*shipped.OUTCOME_MEASURES, *KS5_MEASURES], **LATEST_TWO},
        2,
        f"{SEED_003}: 'Patterns of low attainment over 2 years; patterns of progress below average over 2 years'. "
        "The latest two years with figures, stepping over years with no publication. "
        f"{SEED_004}: 'attainment in EYFS, KS1, KS2, KS4 and KS5' (16 to 18 average points per entry).",
    ),
    "absence_persistent": (
        "Persistent absence worse than national in the latest two years with data",
        "worse_than_national_by",
        {"measures": ["abs_persistent10_pct", "abs_persistent15_pct"], "margin": 5.0, **LATEST_TWO},
        2,
        f"{SEED_003}: 'Patterns of low attendance/high exclusion over 2 years'.",
    ),
    "exclusions_high": (
        "Suspensions or permanent exclusions above national in the latest two years with data",
        "below_national",
        {"measures": ["excl_permanent_rate", "excl_suspension_rate"], "higher_is_better": False, **LATEST_TWO},
        2,
        f"{SEED_003}: 'Patterns of low attendance/high exclusion over 2 years'. {SEED_004}: 'attendance, "
        "permanent exclusions, and number of children in part time placements'.",
    ),
    "ofsted_ungraded_at_risk": (
        "Ofsted ungraded (section 8) inspection: standards may not be maintained",
        "ungraded_signal",
        {"signals": ["at_risk"]},
        2,
        f"{SEED_003}: 'Section 8 inspection outcome identifies risk of being judged by Ofsted as less than Good "
        f"at the next inspection'. {SEED_004}: 'A recent Ofsted inspection letter indicates that while the "
        "school is currently good issues exist which require support and another Ofsted inspection within two "
        "years'.",
    ),
    "part_time_placements": (
        "Pupils on part-time timetables or placements (intelligence graded medium or above)",
        "intelligence",
        {"areas": ["part_time_placements"], "min_grade": "medium", "months": 12},
        1,
        f"{SEED_004}: 'attendance, permanent exclusions, and number of children in part time placements'; "
        "'Reduce permanent exclusions and number of children in part time placements'. DfE publishes no "
        "school-level figure: the authority records what it knows as intelligence.",
    ),
}
TIERED_TRIGGERS = [*written.ENGLAND_TRIGGERS, "exclusions_high", "ofsted_ungraded_at_risk", "part_time_placements"]
TIERED = {
    "code": "tiered",
    "categories": [(*row, "", "") for row in shipped.TIERED],
    "default": "overview",
    "triggers": TIERED_TRIGGERS,
    "rules": shipped.TIERED_RULES,
    "matrix": {},
}
FRAMEWORKS = [TIERED]
REPLACEABLE = frozenset({"As shipped.", written.NOTES})  # notes of the versions this one replaces without review


def ship(apps, authority_id: int) -> None:
    """One authority's new version of tiered support."""
    for spec in FRAMEWORKS:
        frameworks.ship_version(apps, authority_id, spec, notes=NOTES, triggers=TRIGGERS, replaces=REPLACEABLE)


def create(apps, schema_editor):
    """Every authority's new version, or (called by ``accounts.authorities.copy_as_shipped`` for a new
    authority, inside it) the current authority's."""
    frameworks.in_each_authority(apps, ship)


class Migration(migrations.Migration):
    dependencies = [("categorisation", "0011_governance_trigger_kind")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

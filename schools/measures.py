"""The performance measures the portal reads from the DfE performance tables.

Each measure names the published column it comes from. Codes are stable identifiers used in
the database; labels are what officers read. ``higher_is_better`` says which way is good when a
school is compared with the national figure. ``signed`` scores (progress and value added,
centred on 0) are shown with a + when above 0.

Where DfE's metadata file for a download is held (``tests/fixtures/published/performance/meta``)
the label follows its description of the column; the 16 to 18 (KS5) and KS4 destinations
downloads came without one, and their columns are described as DfE's performance tables name
them (see ``docs/data-formats-drafts/formats-gias-performance.md`` section 3.4).
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    column: str
    source: str  # the ImportRun kind whose file carries it
    unit: str  # "%", "score", "pupils"
    higher_is_better: bool | None
    decimals: int = 1
    signed: bool = False

    def format(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        text = f"{value:,.{self.decimals}f}"
        if self.signed and value > 0:
            text = "+" + text
        return f"{text}%" if self.unit == "%" else text


MEASURES: list[Measure] = [
    # School census (pupil characteristics).
    Measure("census_nor", "Pupils on roll (census)", "NOR", "census", "pupils", None, 0),
    Measure("census_fsm6_pct", "Disadvantaged: % ever FSM in the last 6 years", "PNUMFSMEVER", "census", "%", None),
    Measure("census_sen_support_pct", "% SEN support", "PSENELK", "census", "%", None),
    Measure("census_ehcp_pct", "% with an EHC plan or statement", "PSENELSE", "census", "%", None),
    Measure("census_eal_pct", "% English as an additional language", "PNUMEAL", "census", "%", None),
    # Key stage 2 (levels era, to 2015).
    Measure("ks2_read_progress_pct", "KS2 % making expected progress in reading", "PT2READ12", "ks2", "%", True, 0),
    Measure("ks2_write_progress_pct", "KS2 % making expected progress in writing", "PT2WRITTA12", "ks2", "%", True, 0),
    Measure("ks2_maths_progress_pct", "KS2 % making expected progress in maths", "PT2MATH12", "ks2", "%", True, 0),
    Measure("ks2_aps", "KS2 average point score", "TAPS", "ks2", "score", True),
    Measure("ks2_disadvantaged_pct", "KS2 % disadvantaged pupils", "PTFSMCLA", "ks2", "%", None, 0),
    # Key stage 2 (expected standard and progress scores, from 2016; DfE ks2_meta 2016-17 to 2018-19).
    Measure(
        "ks2_rwm_expected_pct",
        "KS2 % meeting the expected standard in reading, writing and maths",
        "PTRWM_EXP",
        "ks2",
        "%",
        True,
        0,
    ),
    Measure(
        "ks2_rwm_higher_pct",
        "KS2 % achieving a higher standard in reading, writing and maths",
        "PTRWM_HIGH",
        "ks2",
        "%",
        True,
        0,
    ),
    Measure("ks2_read_progress", "KS2 reading progress score", "READPROG", "ks2", "score", True, 1, signed=True),
    Measure("ks2_write_progress", "KS2 writing progress score", "WRITPROG", "ks2", "score", True, 1, signed=True),
    Measure("ks2_maths_progress", "KS2 maths progress score", "MATPROG", "ks2", "score", True, 1, signed=True),
    Measure("ks2_disadvantaged_2016_pct", "KS2 % disadvantaged pupils (from 2016)", "PTFSM6CLA1A", "ks2", "%", None, 0),
    # Key stage 4.
    Measure("ks4_pupils", "KS4 pupils at the end of key stage 4", "TPUP", "ks4", "pupils", None, 0),
    Measure("ks4_att8", "Attainment 8 score", "ATT8SCR", "ks4", "score", True),
    Measure("ks4_p8", "Progress 8 score", "P8MEA", "ks4", "score", True, 2, signed=True),
    Measure("ks4_basics_94_pct", "% grade 4 or above in English and maths", "PTL2BASICS_94", "ks4", "%", True),
    Measure("ks4_basics_95_pct", "% grade 5 or above in English and maths", "PTL2BASICS_95", "ks4", "%", True),
    Measure("ks4_ebacc_aps", "EBacc average point score", "EBACCAPS", "ks4", "score", True, 2),
    Measure("ks4_ebacc_entry_pct", "% entering the EBacc", "PTEBACC_E_PTQ_EE", "ks4", "%", True),
    # 16 to 18 (key stage 5) final results: columns both the 2016 and 2017 layouts carry.
    Measure("ks5_students", "16 to 18: number of students aged 16 to 18", "TPUP1618", "ks5", "pupils", None, 0),
    Measure(
        "ks5_alevel_aps",
        "16 to 18: A level average point score per entry",
        "TALLPPE_ALEV_1618",
        "ks5",
        "score",
        True,
        2,
    ),
    Measure(
        "ks5_academic_aps",
        "16 to 18: academic qualifications average point score per entry",
        "TALLPPE_ACAD_1618",
        "ks5",
        "score",
        True,
        2,
    ),
    Measure(
        "ks5_applied_general_aps",
        "16 to 18: applied general qualifications average point score per entry",
        "TALLPPE_AGEN",
        "ks5",
        "score",
        True,
        2,
    ),
    Measure(
        "ks5_tech_level_aps",
        "16 to 18: tech level qualifications average point score per entry",
        "TALLPPE_TLEV",
        "ks5",
        "score",
        True,
        2,
    ),
    Measure(
        "ks5_alevel_va", "16 to 18: A level value added score", "VA_INS_ALEV", "ks5", "score", True, 2, signed=True
    ),
    # Key stage 4 destinations: where pupils went after key stage 4, sustained for two terms.
    Measure(
        "ks4dest_cohort", "KS4 destinations: pupils in the cohort", "COHORT", "ks4_destinations", "pupils", None, 0
    ),
    Measure(
        "ks4dest_sustained_pct",
        "KS4 destinations: % in sustained education, apprenticeship or employment",
        "OVERALL_DESTPER",
        "ks4_destinations",
        "%",
        True,
        0,
    ),
    Measure(
        "ks4dest_education_pct",
        "KS4 destinations: % in sustained education",
        "EDUCATIONPER",
        "ks4_destinations",
        "%",
        None,
        0,
    ),
    Measure(
        "ks4dest_apprenticeship_pct",
        "KS4 destinations: % in a sustained apprenticeship",
        "APPRENPER",
        "ks4_destinations",
        "%",
        None,
        0,
    ),
    Measure(
        "ks4dest_employment_pct",
        "KS4 destinations: % in sustained employment",
        "EMPLOYMENTPER",
        "ks4_destinations",
        "%",
        None,
        0,
    ),
    Measure(
        "ks4dest_not_sustained_pct",
        "KS4 destinations: % not in a sustained destination",
        "NOT_SUSTAINEDPER",
        "ks4_destinations",
        "%",
        False,
        0,
    ),
    # Absence.
    Measure("abs_overall_pct", "Overall absence (% of sessions)", "PERCTOT", "absence", "%", False),
    Measure("abs_persistent10_pct", "Persistent absentees (10% threshold)", "PPERSABS10", "absence", "%", False),
    Measure("abs_persistent15_pct", "Persistent absentees (15% threshold)", "PPERSABS15", "absence", "%", False),
    # The authority's own collection (seed 004: "attainment in EYFS, KS1"): DfE publishes neither by school,
    # so officers upload them in the portal's template (``schools.collection``); the column is its header.
    Measure(
        "eyfs_gld_pct",
        "EYFS % reaching a good level of development",
        "EYFS % good level of development",
        "authority_results",
        "%",
        True,
    ),
    Measure(
        "ks1_phonics_expected_pct",
        "KS1 phonics: % meeting the expected standard",
        "KS1 phonics % meeting the expected standard",
        "authority_results",
        "%",
        True,
    ),
    Measure(
        "ks1_rwm_expected_pct",
        "KS1 % at the expected standard in reading, writing and maths",
        "KS1 % reading writing and maths at the expected standard",
        "authority_results",
        "%",
        True,
    ),
    # Read by triggers but in no file the portal imports yet: the evidence still names them.
    Measure("ks2_disadvantaged_gap", "KS2 disadvantaged attainment gap", "", "", "score", False, 2),
    Measure("ks4_disadvantaged_gap", "KS4 disadvantaged attainment gap", "", "", "score", False, 2),
    Measure("excl_suspension_rate", "Suspensions (% of pupils)", "", "", "%", False, 2),
    Measure("excl_permanent_rate", "Permanent exclusions (% of pupils)", "", "", "%", False, 2),
]

BY_CODE = {m.code: m for m in MEASURES}


def for_source(source: str) -> list[Measure]:
    return [m for m in MEASURES if m.source == source]


def compare(measure: Measure, value: Decimal | None, national: Decimal | None) -> str:
    """'above', 'below' or 'in line' with national, judged by which way is better; '' if unknown."""
    if value is None or national is None or measure.higher_is_better is None:
        return ""
    if value == national:
        return "in line"
    better = value > national if measure.higher_is_better else value < national
    return "better" if better else "worse"

"""The performance measures the portal reads from the DfE performance tables.

Each measure names the published column it comes from. Codes are stable identifiers used in
the database; labels are what officers read. ``higher_is_better`` says which way is good when a
school is compared with the national figure.
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

    def format(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        text = f"{value:,.{self.decimals}f}"
        if self.code == "ks4_p8" and value > 0:
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
    # Key stage 4.
    Measure("ks4_pupils", "KS4 pupils at the end of key stage 4", "TPUP", "ks4", "pupils", None, 0),
    Measure("ks4_att8", "Attainment 8 score", "ATT8SCR", "ks4", "score", True),
    Measure("ks4_p8", "Progress 8 score", "P8MEA", "ks4", "score", True, 2),
    Measure("ks4_basics_94_pct", "% grade 4 or above in English and maths", "PTL2BASICS_94", "ks4", "%", True),
    Measure("ks4_basics_95_pct", "% grade 5 or above in English and maths", "PTL2BASICS_95", "ks4", "%", True),
    Measure("ks4_ebacc_aps", "EBacc average point score", "EBACCAPS", "ks4", "score", True, 2),
    Measure("ks4_ebacc_entry_pct", "% entering the EBacc", "PTEBACC_E_PTQ_EE", "ks4", "%", True),
    # Absence.
    Measure("abs_overall_pct", "Overall absence (% of sessions)", "PERCTOT", "absence", "%", False),
    Measure("abs_persistent10_pct", "Persistent absentees (10% threshold)", "PPERSABS10", "absence", "%", False),
    Measure("abs_persistent15_pct", "Persistent absentees (15% threshold)", "PPERSABS15", "absence", "%", False),
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


def academic_year_label(start_year: int) -> str:
    """2018 → '2018/19'."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"

from decimal import Decimal

from core import calendar
from schools import measures


def test_better_depends_on_the_direction_of_the_measure():
    absence = measures.BY_CODE["abs_overall_pct"]
    attainment = measures.BY_CODE["ks4_att8"]
    assert measures.compare(absence, Decimal("3.9"), Decimal("4.7")) == "better"
    assert measures.compare(attainment, Decimal("3.9"), Decimal("4.7")) == "worse"
    assert measures.compare(attainment, Decimal("47"), Decimal("47")) == "in line"


def test_no_comparison_without_a_value_or_for_descriptive_measures():
    assert measures.compare(measures.BY_CODE["ks4_att8"], None, Decimal(46)) == ""
    assert measures.compare(measures.BY_CODE["census_fsm6_pct"], Decimal(30), Decimal(23)) == ""


def test_formats():
    assert measures.BY_CODE["ks4_p8"].format(Decimal("0.3200")) == "+0.32"
    assert measures.BY_CODE["abs_overall_pct"].format(Decimal("4.7000")) == "4.7%"
    assert measures.BY_CODE["census_nor"].format(Decimal("1806.0000")) == "1,806"


def test_academic_year_label():
    assert calendar.academic_year_label(2018) == "2018/19"
    assert calendar.academic_year_label(2099) == "2099/00"

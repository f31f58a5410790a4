"""School figures to city figures by the catalog's rules (pure: no file involved)."""

from __future__ import annotations

import pytest

from conftest import JIA_VALUES, YI_VALUES, dataset, find, has_words, rolled_up
from docxreport.model import Location
from docxreport.rollup import all_figures, differs


def loc(file: str, sheet: str, cell: str) -> Location:
    return Location(file, sheet, cell)


JIA_FILE, YI_FILE = "学校/甲校.xlsx", "学校/乙校.xlsx"


def test_sum_rule_adds_the_schools_and_keeps_their_cells(test_catalog):
    data, issues = rolled_up(test_catalog)
    assert issues == []
    fig = data.figure("staff")
    assert fig.value == 102 + 52
    assert fig.sources == (loc(JIA_FILE, "办学规模", "E2"), loc(YI_FILE, "办学规模", "E2"))
    assert "合计" in fig.rule


def test_sum_of_decimals_has_no_binary_noise(test_catalog):
    data = dataset(
        test_catalog,
        jia={**JIA_VALUES, "funds": (596.22, 596.22)},
        yi={**YI_VALUES, "funds": (13.1, 13.1)},
    )
    assert data.figure("funds").value == 609.32


def test_ratio_rule_divides_the_summed_numerator_by_the_summed_denominator(test_catalog):
    data = dataset(test_catalog)
    fig = data.figure("student_teacher_ratio")
    assert fig.value == pytest.approx((1020 + 410) / (85 + 41))
    assert "1430 / 126" in fig.rule
    assert loc(JIA_FILE, "办学规模", "E3") in fig.sources
    assert loc(YI_FILE, "办学规模", "E5") in fig.sources


def test_ratio_is_not_the_mean_of_the_school_ratios(test_catalog):
    data = dataset(test_catalog)
    assert data.figure("student_teacher_ratio").value != pytest.approx((12 + 10) / 2)


def test_school_ratio_left_empty_is_computed_from_its_parts(test_catalog):
    data = dataset(test_catalog, jia={**JIA_VALUES, "student_teacher_ratio": (None, None)})
    fig = data.figure("student_teacher_ratio", school="甲校")
    assert fig.value == 12
    assert fig.sources == (loc(JIA_FILE, "办学规模", "E3"), loc(JIA_FILE, "办学规模", "E5"))
    assert "1020 / 85" in fig.rule


def test_mean_rule_averages_the_school_values(test_catalog):
    data = dataset(test_catalog)
    assert data.figure("dual_rate").value == (62 + 54) / 2
    assert data.figure("dual_rate", "prev").value == (60 + 50) / 2
    assert "平均" in data.figure("dual_rate").rule


def test_given_rule_takes_the_city_workbook_value_not_the_schools(test_catalog):
    data, issues = rolled_up(
        test_catalog,
        jia={**JIA_VALUES, "major_count": (5, 5)},
        yi={**YI_VALUES, "major_count": (4, 4)},
        city={("major_count", "curr"): 7},
    )
    fig = data.figure("major_count")
    assert fig.value == 7
    assert fig.sources == (loc("市级.xlsx", "市级指标", "F6"),)
    assert issues == []


def test_given_rule_without_a_city_value_is_empty(test_catalog):
    assert dataset(test_catalog).figure("major_count").empty


def test_none_rule_has_no_city_figure(test_catalog):
    data = dataset(test_catalog, jia={**JIA_VALUES, "remarks": (None, "无")})
    assert data.figure("remarks").empty
    assert data.figure("remarks", school="甲校").value == "无"


def test_city_value_is_used_when_no_school_reported(test_catalog):
    no_funds = {"funds": (None, None)}
    data, issues = rolled_up(
        test_catalog,
        jia={**JIA_VALUES, **no_funds},
        yi={**YI_VALUES, **no_funds},
        city={("funds", "curr"): 999.5},
    )
    fig = data.figure("funds")
    assert fig.value == 999.5
    assert fig.sources == (loc("市级.xlsx", "市级指标", "F11"),)
    assert issues == []


def test_city_value_stands_in_with_a_warning_when_some_schools_did_not_report(test_catalog):
    data, issues = rolled_up(
        test_catalog, jia={**JIA_VALUES, "funds": (500, None)}, city={("funds", "curr"): 999.5}
    )
    assert data.figure("funds").value == 999.5
    issue = find(issues, "市级.xlsx › 市级指标!F11", "甲校", "未填报")
    assert issue.level == "警告"
    assert issue.indicator == "办学经费"
    assert "市级数据表" in issue.message


def test_partial_schools_without_city_value_leave_the_figure_empty_with_a_warning(test_catalog):
    data, issues = rolled_up(test_catalog, jia={**JIA_VALUES, "funds": (500, None)})
    assert data.figure("funds").empty
    issue = find(issues, "市级.xlsx", "甲校", "未填报", "各校合计")
    assert issue.level == "警告"


def test_previous_year_takes_the_published_city_figure(test_catalog):
    data, issues = rolled_up(test_catalog, city={("staff", "prev"): 150})
    fig = data.figure("staff", "prev")
    assert fig.value == 150
    assert fig.sources == (loc("市级.xlsx", "市级指标", "E2"),)
    assert "上年已发布" in fig.rule
    assert issues == []


def test_previous_year_published_figure_that_differs_from_the_schools_warns(test_catalog):
    data, issues = rolled_up(test_catalog, city={("staff", "prev"): 149})
    assert data.figure("staff", "prev").value == 149  # printed as published
    assert data.total("staff", "prev").value == 150  # the 合计 row of a schools table
    [issue] = issues
    assert issue.level == "警告"
    assert str(issue.loc) == "市级.xlsx › 市级指标!E2"
    assert issue.indicator == "教职工总数"
    assert has_words(issue.message, "上年", "149", "150")


def test_previous_year_without_a_published_figure_is_computed(test_catalog):
    assert dataset(test_catalog).figure("staff", "prev").value == 150


def test_current_year_city_value_that_differs_from_the_schools_warns_and_loses(test_catalog):
    data, issues = rolled_up(test_catalog, city={("staff", "curr"): 155})
    assert data.figure("staff").value == 154
    [issue] = issues
    assert str(issue.loc) == "市级.xlsx › 市级指标!F2"
    assert has_words(issue.message, "155", "154")


def test_school_figures_are_found_by_alias_or_full_name(test_catalog):
    data = dataset(test_catalog)
    assert data.figure("staff", school="一职").value == 102
    assert data.figure("staff", school="甲市第二职业学校").value == 52


def test_all_figures_lists_city_and_school_figures(test_catalog):
    data = dataset(test_catalog)
    found = {(key, period, who): fig.value for key, period, who, fig in all_figures(data)}
    assert found[("staff", "curr", None)] == 154
    assert found[("staff", "prev", "乙校")] == 50


@pytest.mark.parametrize(
    ("published", "value", "expected"),
    [
        (154, 154, False),
        (154, 154.4, False),
        (154, 154.6, True),
        (12.35, 12.345, False),
        (12.3, 12.345, False),
        (12.3, 12.36, True),
        (58.0, 58, False),
        ("甲", "甲", False),
        ("甲", "乙", True),
        (None, 1, True),
    ],
)
def test_differs_allows_rounding_to_the_published_precision(published, value, expected):
    assert differs(published, value) is expected


# ---- schools without graduates do not count for graduate figures -----------------------------

NO_GRADUATES = {**YI_VALUES, "graduates": (120, 0)}


def test_graduate_figure_averages_only_the_schools_with_graduates(test_catalog):
    # 乙校 has no graduates this year and typed 0 for its placement rate: not averaged in
    data, issues = rolled_up(test_catalog, yi={**NO_GRADUATES, "placement_rate": (90, 0)})
    assert data.figure("placement_rate").value == JIA_VALUES["placement_rate"][1]
    assert data.figure("placement_rate", "prev").value == (95 + 90) / 2
    assert issues == []


def test_graduate_figure_left_blank_by_a_school_without_graduates_is_not_missed(test_catalog):
    data, issues = rolled_up(test_catalog, yi={**NO_GRADUATES, "placement_rate": (90, None)})
    assert data.figure("placement_rate").value == JIA_VALUES["placement_rate"][1]
    assert not [i for i in issues if "未填报" in i.message]


def test_zero_typed_without_graduates_is_never_demanded_of_the_others(test_catalog):
    # 甲校 (graduates) left it blank, 乙校 (none) typed 0: no "甲校 未填报" warning
    data, issues = rolled_up(
        test_catalog,
        jia={**JIA_VALUES, "placement_rate": (95, None)},
        yi={**NO_GRADUATES, "placement_rate": (90, 0)},
    )
    assert data.figure("placement_rate").empty
    assert issues == []


def test_other_figures_still_count_every_school(test_catalog):
    data, _ = rolled_up(test_catalog, yi=NO_GRADUATES)
    assert data.figure("staff").value == JIA_VALUES["staff"][1] + YI_VALUES["staff"][1]

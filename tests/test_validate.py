"""Checks over plain data: each yields located issues; no file is needed."""

from __future__ import annotations

import pytest

from conftest import JIA, JIA_VALUES, dataset, find, has_words, school_data
from docxreport.checks.values import (
    check_jumps,
    check_list_counts,
    check_lists,
    check_pairs,
    check_parts,
    check_published,
    check_ranges,
    check_ratios,
    check_required,
    check_school,
)
from docxreport.model import Location, Published, Value


def majors(cat, rel: str, adjusts: list[str | None]) -> list[dict[str, Value]]:
    rows = []
    for r, adjust in enumerate(adjusts, start=2):
        rows.append(
            {
                "code": Value(f"6603{r:02d}", Location(rel, "专业设置", f"A{r}")),
                "name": Value(f"专业{r}", Location(rel, "专业设置", f"B{r}")),
                "adjust": Value(adjust, Location(rel, "专业设置", f"G{r}")),
            }
        )
    return rows


def with_values(**changes) -> dict[str, tuple]:
    return {**JIA_VALUES, **changes}


def test_clean_school_passes_every_check(test_catalog):
    sd = school_data(test_catalog, JIA, JIA_VALUES)
    assert list(check_school(sd, test_catalog)) == []


# --- errors -------------------------------------------------------------------------


def test_required_value_empty_is_an_error_at_its_cell(test_catalog):
    sd = school_data(test_catalog, JIA, with_values(staff=(100, None)))
    [issue] = check_required(sd, test_catalog)
    assert issue.level == "错误"
    assert str(issue.loc) == "学校/甲校.xlsx › 办学规模!E2"
    assert issue.indicator == "教职工总数"
    assert "必填" in issue.message
    assert "为空" in issue.message


def test_previous_year_may_be_left_empty(test_catalog):
    sd = school_data(test_catalog, JIA, with_values(staff=(None, 102)))
    assert list(check_required(sd, test_catalog)) == []


def test_graduate_figures_are_required_only_from_schools_with_graduates(test_catalog):
    with_grads = school_data(test_catalog, JIA, with_values(placement_rate=(95, None)))
    [issue] = check_required(with_grads, test_catalog)
    assert str(issue.loc) == "学校/甲校.xlsx › 经费!E3"
    assert "有毕业生的学校必填" in issue.message
    no_grads = school_data(
        test_catalog, JIA, with_values(graduates=(0, 0), placement_rate=(None, None))
    )
    assert list(check_required(no_grads, test_catalog)) == []


def test_negative_count_is_an_error_naming_the_lower_bound(test_catalog):
    sd = school_data(test_catalog, JIA, with_values(students=(1000, -5)))
    [issue] = check_ranges(sd, test_catalog)
    assert issue.level == "错误"
    assert str(issue.loc) == "学校/甲校.xlsx › 办学规模!E3"
    assert issue.message == "-5 小于下限 0"


def test_percentage_over_100_is_an_error_naming_the_upper_bound(test_catalog):
    sd = school_data(test_catalog, JIA, with_values(dual_rate=(60, 101.5)))
    [issue] = check_ranges(sd, test_catalog)
    assert issue.level == "错误"
    assert str(issue.loc) == "学校/甲校.xlsx › 师资队伍!E3"
    assert issue.message == "101.5 大于上限 100"
    assert issue.indicator == "双师型教师比例"


def test_a_bare_number_pasted_into_a_percent_cell_is_explained(test_catalog):
    # 91.2 pasted into a cell formatted 0.00% is stored as 91.2 and read as 9120%
    sd = school_data(test_catalog, JIA, with_values(dual_rate=(60, 9120)))
    [issue] = check_ranges(sd, test_catalog)
    assert issue.level == "错误"
    assert issue.message.startswith("91.2 被读作 9120%")
    assert issue.message.endswith("请输入 91.2% 或 0.912")


def test_range_applies_to_the_previous_year_too(test_catalog):
    sd = school_data(test_catalog, JIA, with_values(dual_rate=(160, 62)))
    [issue] = check_ranges(sd, test_catalog)
    assert str(issue.loc) == "学校/甲校.xlsx › 师资队伍!D3"


def test_part_larger_than_its_whole_is_an_error_naming_the_whole(test_catalog):
    sd = school_data(test_catalog, JIA, with_values(fulltime_teachers=(80, 120)))
    [issue] = check_parts(sd, test_catalog)
    assert issue.level == "错误"
    assert str(issue.loc) == "学校/甲校.xlsx › 办学规模!E5"
    assert issue.indicator == "专任教师总数"
    assert "其中项 120" in issue.message
    assert "大于总数“教职工总数” 102" in issue.message
    assert "办学规模!E2" in issue.message


def test_part_equal_to_its_whole_is_fine(test_catalog):
    sd = school_data(test_catalog, JIA, with_values(fulltime_teachers=(100, 102)))
    assert list(check_parts(sd, test_catalog)) == []


def test_list_row_missing_a_required_column_is_an_error(test_catalog):
    rel = "学校/甲校.xlsx"
    rows = majors(test_catalog, rel, ["未调"])
    rows[0]["name"] = Value(None, Location(rel, "专业设置", "B2"))
    [issue] = check_lists({"majors": rows}, test_catalog)
    assert issue.level == "错误"
    assert str(issue.loc) == "学校/甲校.xlsx › 专业设置!B2"
    assert "“专业名称”必须填写" in issue.message


def test_list_value_outside_its_choices_is_an_error(test_catalog):
    rows = majors(test_catalog, "学校/甲校.xlsx", ["撤销"])
    [issue] = check_lists({"majors": rows}, test_catalog)
    assert str(issue.loc) == "学校/甲校.xlsx › 专业设置!G2"
    assert "“撤销”不是可选值" in issue.message
    assert "停办" in issue.message


# --- warnings ------------------------------------------------------------------------


def test_ratio_that_does_not_follow_from_its_parts_warns_with_both_numbers(test_catalog):
    sd = school_data(test_catalog, JIA, with_values(student_teacher_ratio=(12.5, 15)))
    [issue] = check_ratios(sd, test_catalog)
    assert issue.level == "警告"
    assert str(issue.loc) == "学校/甲校.xlsx › 师资队伍!E2"
    assert issue.indicator == "生师比"
    assert issue.message == "填报 15，但 1020 / 85 = 12.00"


def test_ratio_rounded_to_its_printed_precision_agrees(test_catalog):
    # 1000 / 81 = 12.345...; 12.35 is that figure rounded to two decimals
    sd = school_data(
        test_catalog,
        JIA,
        with_values(fulltime_teachers=(80, 81), student_teacher_ratio=(12.5, 12.35)),
    )
    sd.values[("students", "curr")] = Value(1000, sd.values[("students", "curr")].loc)
    assert list(check_ratios(sd, test_catalog)) == []


def test_count_that_disagrees_with_its_list_warns_counting_only_active_rows(test_catalog):
    rel = "学校/甲校.xlsx"
    rows = majors(test_catalog, rel, ["未调", "停办", None, "新增"])
    sd = school_data(test_catalog, JIA, with_values(major_count=(4, 4)), {"majors": rows})
    [issue] = check_list_counts(sd, test_catalog)
    assert issue.level == "警告"
    assert str(issue.loc) == "学校/甲校.xlsx › 办学规模!E6"
    assert issue.indicator == "专业数量"
    assert "填报 4" in issue.message
    assert "“专业设置”表列出在办的 3 个" in issue.message
    assert "不含停办" in issue.message


def test_count_that_matches_its_active_list_rows_is_fine(test_catalog):
    rows = majors(test_catalog, "学校/甲校.xlsx", ["未调", "停办", None])
    sd = school_data(test_catalog, JIA, with_values(major_count=(2, 2)), {"majors": rows})
    assert list(check_list_counts(sd, test_catalog)) == []


def test_count_without_a_list_is_not_compared(test_catalog):
    sd = school_data(test_catalog, JIA, with_values(major_count=(4, 4)), {"majors": []})
    assert list(check_list_counts(sd, test_catalog)) == []


def test_implausible_jump_from_last_year_warns_with_both_years(test_catalog):
    sd = school_data(test_catalog, JIA, with_values(students=(1000, 1700)))
    issues = list(check_jumps(sd, test_catalog))
    issue = find(issues, "学校/甲校.xlsx › 办学规模!E3", "较上年变化 +70%")
    assert issue.level == "警告"
    assert "1000 → 1700" in issue.message
    assert "请核实" in issue.message


@pytest.mark.parametrize(
    ("prev", "curr"),
    [(10, 25), (1000, 1400), (0, 500), (None, 500)],
    ids=["small-absolute", "under-half", "from-zero", "no-prev"],
)
def test_jump_needs_both_half_and_twenty(test_catalog, prev, curr):
    sd = school_data(test_catalog, JIA, with_values(students=(prev, curr)))
    assert list(check_jumps(sd, test_catalog)) == []


# --- checks on the rolled-up dataset ------------------------------------------------


def published(key: str, value: float, school: str = "", row: int = 2) -> Published:
    return Published(
        "1-5", key, "curr", school, value, Location("市级.xlsx", "发布核对", f"E{row}")
    )


def test_published_city_figure_that_differs_from_the_total_warns_with_both(test_catalog):
    data = dataset(test_catalog, published=[published("staff", 160)])
    [issue] = check_published(data, test_catalog)
    assert issue.level == "警告"
    assert str(issue.loc) == "市级.xlsx › 发布核对!E2"
    assert issue.indicator == "教职工总数"
    assert has_words(issue.message, "表1-5", "全市", "160", "各校合计", "154")


def test_published_school_figure_that_differs_warns_with_both(test_catalog):
    data = dataset(test_catalog, published=[published("staff", 101, school="甲校", row=3)])
    [issue] = check_published(data, test_catalog)
    assert str(issue.loc) == "市级.xlsx › 发布核对!E3"
    assert has_words(issue.message, "表1-5", "甲校", "101", "填报", "102")


def test_published_figure_equal_after_rounding_is_fine(test_catalog):
    # city mean of dual_rate is 58; a published 58.0 or a ratio rounded to 2 places agrees
    ratio = dataset(test_catalog).figure("student_teacher_ratio").value
    data = dataset(
        test_catalog,
        published=[
            published("dual_rate", 58.0),
            published("student_teacher_ratio", round(ratio, 2), row=3),
        ],
    )
    assert list(check_published(data, test_catalog)) == []


def test_published_figure_of_an_unknown_school_is_reported_not_a_crash(test_catalog):
    data = dataset(test_catalog, published=[published("staff", 1, school="丙校")])
    issues = list(check_published(data, test_catalog))
    assert find(issues, "市级.xlsx › 发布核对!E2", "丙校")


def test_indicators_declared_to_agree_warn_when_city_figures_differ(test_catalog):
    data = dataset(test_catalog, jia=with_values(senior_rate=(30, 40)))
    [issue] = check_pairs(data, test_catalog)
    assert issue.level == "警告"
    # located in the city workbook, where the bureau states city figures
    assert str(issue.loc) == "市级.xlsx › 市级指标"
    assert issue.indicator == "高级职称教师比例"
    assert "本年全市数 30.5" in issue.message
    assert "“高级教师占比”的 26" in issue.message
    assert "不一致" in issue.message


def test_indicators_declared_to_agree_are_fine_when_equal(test_catalog):
    assert list(check_pairs(dataset(test_catalog), test_catalog)) == []


def test_a_photo_of_a_case_the_workbook_does_not_have_is_named(test_catalog):
    loc = Location("学校/甲校.xlsx", "图片", "B3")
    case = {"section": Value("3", loc), "title": Value("实训基地", loc), "text": Value("正文", loc)}
    photos = [
        {"section": Value("3", loc), "caption": Value("甲", loc), "case": Value("实训基地", loc)},
        {"section": Value("3", loc), "caption": Value("乙", loc), "case": Value("实训基", loc)},
        {"section": Value("3", loc), "caption": Value("丙", loc)},
    ]
    [issue] = check_lists({"cases": [case], "photos": photos}, test_catalog)
    assert not issue.is_error and issue.loc == loc
    assert "所属案例“实训基”" in issue.message and "不会印出" in issue.message

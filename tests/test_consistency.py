"""Figures that must agree with other figures of the same year: groups of parts,
published ratios against their published parts, and the city's 上年 column against
last year's report. Each kind: a workbook set that triggers it and one that does not."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from conftest import JIA, YEAR, Scenario, city_values, dataset, required_values, school_data
from docxreport import layout as L
from docxreport.catalog import PartGroup, load_catalog
from docxreport.checks.consistency import check_derived, group_issues
from docxreport.checks.history import carried_city
from docxreport.cli import main
from docxreport.errors import CatalogError
from docxreport.load import load_year
from docxreport.model import CURR, PREV, Location, Published


def school_cell(cat, key: str, period: str = CURR) -> tuple[str, str]:
    sheet, row = L.indicator_cells(cat)[key]
    return sheet, f"{L.PERIOD_COL[period]}{row}"


def city_cell(cat, key: str, period: str) -> str:
    row = L.FIRST_ROW + [i.key for i in L.city_indicators(cat)].index(key)
    return f"{'E' if period == PREV else 'F'}{row}"


def check(inputs, *extra: str) -> object:
    result = CliRunner().invoke(main, ["check", "--inputs", str(inputs), *extra])
    assert "Traceback" not in result.output
    return result


def rows_with(output: str, *words: str) -> list[str]:
    return [line for line in output.splitlines() if all(w in line for w in words)]


# ---- groups of parts that do not overlap ----------------------------------------------


def set_levels(sc: Scenario, whole: int, national: int, school: int) -> None:
    for key, value in (
        ("resource_banks", whole),
        ("resource_banks_national", national),
        ("resource_banks_school", school),
    ):
        sheet, cell = school_cell(sc.cat, key)
        sc.set("甲校", sheet, cell, value)


def test_levels_adding_up_to_more_than_the_whole_warn_naming_both(real_scenario):
    set_levels(real_scenario, whole=2, national=1, school=2)
    sheet, whole = school_cell(real_scenario.cat, "resource_banks")
    _, national = school_cell(real_scenario.cat, "resource_banks_national")
    _, school = school_cell(real_scenario.cat, "resource_banks_school")
    result = check(real_scenario.inputs)
    assert result.exit_code == 0, result.output
    [row] = rows_with(result.output, f"学校/甲校.xlsx › {sheet}!{whole}", "合计 3")
    assert row.startswith("警告")
    assert f"国家级专业教学资源库数 1（{national}）" in row
    assert f"校级专业教学资源库数 2（{school}）" in row
    assert "大于总数“专业教学资源库数” 2" in row
    assert "互不重叠，合计不应超过总数" in row
    assert check(real_scenario.inputs, "--strict").exit_code == 1


def test_levels_within_the_whole_pass(real_scenario):
    set_levels(real_scenario, whole=2, national=1, school=1)
    result = check(real_scenario.inputs)
    assert result.exit_code == 0, result.output
    assert not rows_with(result.output, "互不重叠")


def test_a_complete_split_must_add_up_exactly(real_catalog):
    sd = school_data(
        real_catalog,
        JIA,
        {
            "sector_employed": (10, 12),
            "primary_employed": (1, 1),
            "secondary_employed": (2, 2),
            "tertiary_employed": (7, 8),
        },
    )
    [issue] = group_issues(sd.values, real_catalog, YEAR)
    sheet, whole = school_cell(real_catalog, "sector_employed")
    assert str(issue.loc) == f"学校/甲校.xlsx › {sheet}!{whole}"
    assert "合计 11，不等于总数“毕业生面向三次产业就业人数” 12" in issue.message
    assert "恰好构成总数" in issue.message
    assert f"{YEAR} 年" in issue.message


def test_parts_left_blank_do_not_make_a_complete_split_fail(real_catalog):
    sd = school_data(
        real_catalog, JIA, {"sector_employed": (None, 12), "primary_employed": (None, 1)}
    )
    assert list(group_issues(sd.values, real_catalog, YEAR)) == []


def test_catalog_refuses_a_group_whose_part_belongs_to_another_whole(tmp_path):
    from conftest import TEST_CATALOG_TOML

    text = (
        TEST_CATALOG_TOML
        + '\n[[groups]]\nwhole = "staff"\nparts = ["fulltime_teachers", "students"]\n'
        + 'kind = "overlap"\n'
    )
    path = tmp_path / "catalog.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    message = str(info.value)
    assert "groups.staff: kind 应为" in message
    assert "groups.staff: students 的 parent 不是 staff" in message


def test_group_rule_reads_in_chinese():
    assert "不应超过" in PartGroup("a", ("b", "c")).rule()
    assert "等于" in PartGroup("a", ("b", "c"), "complete").rule()


# ---- published ratios against their published parts ----------------------------------


def test_published_ratio_matching_no_reading_of_its_parts_warns_naming_both(real_scenario):
    cat = real_scenario.cat
    real_scenario.write_city(
        values={
            ("students", PREV): 10112,
            ("fulltime_teachers", PREV): 1006,
            ("student_teacher_ratio", PREV): 8.68,
        }
    )
    result = check(real_scenario.inputs)
    assert result.exit_code == 0, result.output
    ratio = city_cell(cat, "student_teacher_ratio", PREV)
    [row] = rows_with(result.output, f"市级.xlsx › 市级指标!{ratio}", "印为 8.68")
    assert row.startswith("警告")
    assert (
        f"全日制在校生人数 10112（附表6，市级.xlsx › 市级指标!{city_cell(cat, 'students', PREV)}）"
        in row
    )
    assert (
        f"专任教师总数 1006（附表6，市级.xlsx › 市级指标!{city_cell(cat, 'fulltime_teachers', PREV)}）"
        in row
    )
    assert "= 10.05" in row
    assert f"{YEAR - 1} 年生师比" in row
    assert check(real_scenario.inputs, "--strict").exit_code == 1


def test_published_ratio_within_its_printed_rounding_passes(real_scenario):
    real_scenario.write_city(
        values={
            ("students", PREV): 10112,
            ("fulltime_teachers", PREV): 1006,
            ("student_teacher_ratio", PREV): 10.05,
        }
    )
    result = check(real_scenario.inputs)
    assert result.exit_code == 0, result.output
    assert not rows_with(result.output, "年生师比印为")


def test_any_published_reading_of_the_parts_may_explain_the_ratio(test_catalog):
    cat = test_catalog
    pub = Published("1-5", "students", PREV, "", 1000, Location(L.CITY_FILE, "发布核对", "E2"))
    values = {("students", PREV): 900, ("fulltime_teachers", PREV): 100}
    data = dataset(cat, city={**values, ("student_teacher_ratio", PREV): 10}, published=(pub,))
    assert list(check_derived(data, cat)) == []
    data = dataset(cat, city={**values, ("student_teacher_ratio", PREV): 11}, published=(pub,))
    [issue] = check_derived(data, cat)
    assert "900" in issue.message and "= 9" in issue.message
    assert "表1-5，市级.xlsx › 发布核对!E2" in issue.message and "= 10" in issue.message


# ---- the city's 上年 column against last year's report --------------------------------


@pytest.fixture
def two_years(tmp_path, real_catalog):
    """inputs/2023 (one school, required figures) and inputs/2024 carried from it by hand."""
    cat = real_catalog
    inputs = tmp_path / "inputs"
    last = Scenario(inputs, cat, year=YEAR - 1, registry=(JIA,))
    last.write_city()
    last.write_school(JIA, required_values(cat))
    carried = carried_city(load_year(inputs, YEAR - 1, cat).data, cat)
    now = Scenario(inputs, cat, registry=(JIA,))
    now.write_city(values={(key, PREV): value for key, (value, _fig) in carried.items()})
    curr = required_values(cat)
    now.write_school(JIA, {**curr, **{(k, PREV): v for (k, _p), v in curr.items()}})
    return now


def test_city_prev_column_equal_to_last_years_report_passes(two_years):
    result = check(two_years.inputs)
    assert result.exit_code == 0, result.output
    assert not rows_with(result.output, "年报告印出的全市数")


def test_city_prev_column_differing_from_last_years_report_warns_naming_both(two_years):
    cat = two_years.cat
    cell = city_cell(cat, "students", PREV)
    two_years.set("市级", L.CITY_VALUES_SHEET, cell, 950)
    result = check(two_years.inputs)
    assert result.exit_code == 0, result.output
    [row] = rows_with(result.output, f"市级.xlsx › 市级指标!{cell}", "年报告印出的全市数")
    sheet, last_cell = school_cell(cat, "students", CURR)
    assert "上年数为 950" in row
    assert f"{YEAR - 1} 年报告印出的全市数为 900" in row
    assert f"{YEAR - 1}/学校/甲校.xlsx › {sheet}!{last_cell}" in row
    assert check(two_years.inputs, "--strict").exit_code == 1


def test_without_last_years_folder_nothing_is_compared(real_scenario):
    shutil.rmtree(real_scenario.inputs / str(YEAR - 1), ignore_errors=True)
    result = check(real_scenario.inputs)
    assert not rows_with(result.output, "年报告印出的全市数")


def test_city_values_helper_places_prev_in_column_e(real_catalog):
    [value] = city_values(real_catalog, {("students", PREV): 1}).values()
    assert value.loc.cell == city_cell(real_catalog, "students", PREV)

"""Issues are plain located records; a Report sorts and counts them."""

from __future__ import annotations

from docxreport.issues import ERROR, WARNING, Issue, Report, error, warning
from docxreport.model import Location

SCHOOL = "学校/甲校.xlsx"


def test_location_names_file_sheet_and_cell():
    assert str(Location(SCHOOL)) == "学校/甲校.xlsx"
    assert str(Location(SCHOOL, "办学规模")) == "学校/甲校.xlsx › 办学规模"
    assert str(Location(SCHOOL, "办学规模", "E5")) == "学校/甲校.xlsx › 办学规模!E5"


def test_error_and_warning_carry_their_level():
    loc = Location(SCHOOL, "办学规模", "E5")
    assert error(loc, "x").level == ERROR == "错误"
    assert warning(loc, "x").level == WARNING == "警告"
    assert error(loc, "x").is_error
    assert not warning(loc, "x").is_error


def test_issue_prints_level_location_indicator_and_message():
    issue = error(Location(SCHOOL, "办学规模", "E2"), "“一千”不是数字", "教职工总数")
    assert str(issue) == "[错误] 学校/甲校.xlsx › 办学规模!E2  教职工总数：“一千”不是数字"


def test_issue_without_indicator_prints_message_only():
    issue = error(Location("市级.xlsx"), "缺少市级数据表")
    assert str(issue) == "[错误] 市级.xlsx  缺少市级数据表"


def test_report_sorts_cells_row_major_so_a2_before_b2_before_a10():
    report = Report()
    report.extend(
        warning(Location(SCHOOL, "办学规模", cell), f"in {cell}") for cell in ("A10", "B2", "A2")
    )
    assert [i.loc.cell for i in report] == ["A2", "B2", "A10"]


def test_report_sorts_by_column_letters_numerically_so_z_before_aa():
    report = Report()
    report.extend(warning(Location(SCHOOL, "S", cell), cell) for cell in ("AA3", "Z3", "B3"))
    assert [i.loc.cell for i in report] == ["B3", "Z3", "AA3"]


def test_report_sorts_by_file_then_sheet_then_cell():
    a, b = "学校/乙校.xlsx", "学校/甲校.xlsx"
    issues = [
        error(Location(b, "师资队伍", "E2"), "4"),
        error(Location(a, "经费", "E9"), "3"),
        error(Location(a, "办学规模", "E10"), "2"),
        error(Location(a, "办学规模", "E3"), "1"),
        error(Location(a), "0"),
    ]
    report = Report()
    report.extend(issues)
    assert [i.message for i in report] == ["0", "1", "2", "3", "4"]


def test_whole_file_problem_sorts_before_its_sheets_and_whole_sheet_before_its_cells():
    report = Report()
    report.extend(
        [
            error(Location(SCHOOL, "办学规模", "A2"), "cell"),
            error(Location(SCHOOL, "办学规模"), "sheet"),
            error(Location(SCHOOL), "file"),
        ]
    )
    assert [i.message for i in report] == ["file", "sheet", "cell"]


def test_report_counts_the_same_issue_once():
    issue = error(Location(SCHOOL, "办学规模", "E2"), "必填，但单元格为空", "教职工总数")
    report = Report()
    report.extend([issue, Issue(issue.level, issue.loc, issue.message, issue.indicator)])
    assert len(report) == 1
    assert list(report) == [issue]


def test_report_with_warnings_only_is_valid():
    report = Report()
    report.extend([warning(Location(SCHOOL), "w")])
    assert report.valid
    assert report.errors == []
    assert len(report.warnings) == 1


def test_report_with_an_error_is_not_valid():
    report = Report()
    report.extend([warning(Location(SCHOOL), "w"), error(Location(SCHOOL), "e")])
    assert not report.valid
    assert [i.message for i in report.errors] == ["e"]
    assert [i.message for i in report.warnings] == ["w"]


def test_empty_report_is_valid():
    assert Report().valid
    assert len(Report()) == 0

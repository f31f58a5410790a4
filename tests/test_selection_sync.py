"""Keeping 市级.xlsx › 案例与图片遴选 in step with the schools' workbooks, safely."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from conftest import JIA, YI, Scenario
from docxreport import layout as L
from docxreport.selection.sync import sync_selection
from docxreport.workbook.package import Package


def with_cases(sc: Scenario, school, cases, photos=()) -> None:
    sc.write_school(school, None, lists={"cases": cases, "photos": list(photos)})


def sync(sc: Scenario):
    loaded = sc.load()
    return sync_selection(loaded.folder, loaded.city, loaded.schools)


def rows(sc: Scenario) -> list[tuple]:
    wb = openpyxl.load_workbook(sc.city_path)
    return list(wb[L.SELECTION_SHEET].iter_rows(min_row=2, values_only=True))


def case(title: str, section: str = "1.2", text: str = "正文一段。") -> dict:
    return {"section": section, "title": title, "text": text}


def parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_text_that_looks_like_a_formula_stays_text(scenario: Scenario) -> None:
    with_cases(scenario, JIA, [case("标题一"), case("+1")])
    with scenario.edit("甲校") as wb:  # typed as text in Excel: the school's cell is no formula
        cell = wb["案例"]["B2"]
        cell.value, cell.data_type = '=HYPERLINK("http://x","点我")', "s"
    assert sync(scenario).written
    wb = openpyxl.load_workbook(scenario.city_path)
    ws = wb[L.SELECTION_SHEET]
    assert ws["D2"].value == '=HYPERLINK("http://x","点我")' and ws["D2"].data_type == "s"
    assert ws["D3"].value == "+1" and ws["D3"].data_type == "s"
    sheet = Package(scenario.city_path.read_bytes()).sheets[L.SELECTION_SHEET]
    assert b"<f>" not in parts(scenario.city_path)[sheet]


def test_new_submissions_are_added_and_the_groups_columns_kept(scenario: Scenario) -> None:
    with_cases(scenario, JIA, [case("甲一"), case("甲二", "2.1")])
    sync(scenario)
    with scenario.edit("市级") as wb:
        ws = wb[L.SELECTION_SHEET]
        ws["G2"], ws["H2"], ws["I2"], ws["K2"] = "是", 3, "3.10", "好案例"
    with_cases(scenario, YI, [case("乙一", "5.8", "乙校的正文")], [
        {"section": "5.8", "case": "乙一", "caption": "乙校照片"},
        {"section": "1.1", "caption": "乙校插图"},
    ])  # fmt: skip
    synced = sync(scenario)
    assert synced.written and synced.selection.added == 2
    got = rows(scenario)
    assert got[0][:4] == ("甲校", "案例", "1.2", "甲一") and got[0][6:] == (
        "是", 3, "3.10", None, "好案例",
    )  # fmt: skip
    assert got[2][:6] == ("乙校", "案例", "5.8", "乙一", 5, 1)
    assert got[3][:6] == ("乙校", "图片", "1.1", "乙校插图", None, 1)
    assert got[1][9] == "待遴选"  # the group has chosen: a blank row waits
    before = scenario.city_path.stat().st_mtime_ns
    assert not sync(scenario).written  # nothing new: the workbook is not touched
    assert scenario.city_path.stat().st_mtime_ns == before


def test_every_other_part_of_the_workbook_is_kept_byte_for_byte(scenario: Scenario) -> None:
    with_cases(scenario, JIA, [case("甲一")])
    before = parts(scenario.city_path)
    sync(scenario)
    after = parts(scenario.city_path)
    sheet = Package(scenario.city_path.read_bytes()).sheets[L.SELECTION_SHEET]
    assert set(after) == set(before)
    assert [n for n in after if after[n] != before[n]] == [sheet]


def test_an_older_workbook_gets_the_sheet_added(scenario: Scenario) -> None:
    with scenario.edit("市级") as wb:
        del wb[L.SELECTION_SHEET]
    with_cases(scenario, JIA, [case("甲一")])
    assert scenario.load().city.choices is None
    assert sync(scenario).written
    wb = openpyxl.load_workbook(scenario.city_path)
    assert wb.sheetnames[-1] == L.SELECTION_SHEET
    assert rows(scenario)[0][:4] == ("甲校", "案例", "1.2", "甲一")
    assert not [i for i in scenario.report() if i.loc.file == L.CITY_FILE]


@pytest.mark.parametrize("lock", ["~$市级.xlsx", ".~lock.市级.xlsx#"])
def test_a_workbook_open_in_excel_is_not_written(scenario: Scenario, lock: str) -> None:
    with_cases(scenario, JIA, [case("甲一")])
    (scenario.folder / lock).write_text("")
    before = scenario.city_path.read_bytes()
    synced = sync(scenario)
    assert not synced.written and "正被 Excel/WPS 打开" in synced.reason
    assert scenario.city_path.read_bytes() == before
    assert synced.selection.counts() == (1, 0)  # the city report still follows the selection


def test_a_gone_row_without_the_groups_input_is_dropped(scenario: Scenario) -> None:
    with_cases(scenario, JIA, [case("甲一"), case("甲二")])
    sync(scenario)
    with scenario.edit("市级") as wb:
        wb[L.SELECTION_SHEET]["K2"] = "待核实"
    with_cases(scenario, JIA, [])
    synced = sync(scenario)
    assert synced.selection.dropped == 1
    (only,) = rows(scenario)
    assert only[3] == "甲一" and only[9].startswith("已撤下") and only[10] == "待核实"


def test_limits_are_read_and_exceeded_limits_warned(scenario: Scenario) -> None:
    scenario.set("市级", L.INFO_SHEET, "B12", 1)  # 每章案例上限
    assert scenario.load().city.limits["max_cases_per_chapter"].value == 1
    with_cases(scenario, JIA, [case("甲一"), case("甲二"), case("甲三", "2.1")])
    sync(scenario)
    with scenario.edit("市级") as wb:
        for r in (2, 3, 4):
            wb[L.SELECTION_SHEET][f"G{r}"] = "是"
    report = scenario.report()
    (warned,) = [i for i in report.warnings if "每章上限" in i.message]
    assert "第 1 章案例 2 个" in warned.message
    scenario.set("市级", L.INFO_SHEET, "B12", "两个")
    (bad,) = [i for i in scenario.report().errors if i.loc.sheet == L.INFO_SHEET]
    assert str(bad.loc) == "市级.xlsx › 基本信息!B12" and "整数" in bad.message


def test_the_rows_of_a_school_whose_workbook_is_missing_stay_as_they_are(
    scenario: Scenario,
) -> None:
    with_cases(scenario, JIA, [case("甲一"), case("甲二")])
    sync(scenario)
    with scenario.edit("市级") as wb:
        wb[L.SELECTION_SHEET]["G2"] = "是"
    scenario.school_path("甲校").unlink()  # taken away for correction, say
    sync(scenario)
    got = rows(scenario)
    assert [r[3] for r in got] == ["甲一", "甲二"]
    assert got[0][4] == 5 and got[0][6] == "是" and "无法读取" in got[0][9]
    assert not [i for i in scenario.report().warnings if "已不在" in i.message]

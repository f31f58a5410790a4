"""Collection progress and the findings workbook each school can act on."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import JIA, YI, Scenario, required_values, school_data
from docxreport import layout as L
from docxreport.checks.progress import (
    FILLED,
    MISSING,
    check_blank,
    check_city_blank,
    printed_tables,
    school_progress,
    sheet_fills,
)
from docxreport.cli import main
from docxreport.finish.pdf import find_soffice
from docxreport.issues import BLANK, Report
from docxreport.model import CityData, Location, Value

BING = type(JIA)("丙校", "甲市第三职业学校", (), 2)


def run(*args: str) -> object:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


# ---- pure: blank printed figures and one line per school ------------------------------


def test_printed_tables_come_from_the_catalog_tables(real_catalog):
    tables = printed_tables(real_catalog)
    assert tables["resource_banks"] == ["附表3"]
    assert "表1-5" in tables["students"] and "附表6" in tables["students"]
    assert "remarks" not in tables


def test_blank_printed_figure_is_a_warning_of_its_own_kind_at_its_cell(real_catalog):
    sd = school_data(real_catalog, JIA, {"resource_banks": (None, None)})
    issues = list(check_blank(sd, real_catalog))
    sheet, row = L.indicator_cells(real_catalog)["resource_banks"]
    [issue] = [i for i in issues if i.indicator == "专业教学资源库数"]
    assert str(issue.loc) == f"学校/甲校.xlsx › {sheet}!E{row}"
    assert issue.kind == BLANK and not issue.is_error
    assert "附表3中将印为“—”" in issue.message
    # required figures are errors already, graduate figures wait for graduates
    names = {i.indicator for i in issues}
    assert "教职工总数" not in names
    assert "毕业去向落实人数" not in names


def test_a_blank_bureau_figure_is_a_blank_warning_at_its_city_cell(real_catalog):
    loc = Location("市级.xlsx", "市级指标", "F138")
    filled = Location("市级.xlsx", "市级指标", "F137")
    city = CityData(
        file="市级.xlsx",
        values={
            ("special_funding", "curr"): Value(None, loc),
            ("funding_per_student", "curr"): Value(2261.35, filled),
            ("students", "curr"): Value(None, Location("市级.xlsx", "市级指标", "F4")),
        },
    )
    [issue] = check_city_blank(city, real_catalog)  # students is summed, not supplied
    assert issue.loc == loc and issue.kind == BLANK and issue.indicator == "年财政专项经费"
    assert "（附表6等处）将印为“—”" in issue.message and "由市级填报" in issue.message


def test_filled_figure_is_not_blank(real_catalog):
    sd = school_data(real_catalog, JIA, {"resource_banks": (None, 0)})
    assert not [i for i in check_blank(sd, real_catalog) if i.indicator == "专业教学资源库数"]


def test_progress_line_per_school_missing_or_filled_with_sheet_counts(real_catalog):
    sd = school_data(real_catalog, JIA, {"staff": (None, 100), "students": (None, 900)})
    report = Report(list(check_blank(sd, real_catalog)))
    files = {"甲校": "学校/甲校.xlsx"}
    jia, yi = school_progress((JIA, YI), files, [sd], report, real_catalog)
    assert jia.state == FILLED
    assert jia.blank == len(report) and jia.warnings == len(report) and jia.errors == 0
    first = jia.sheets[0]
    assert (first.sheet, first.filled) == ("办学规模", 2)
    assert "办学规模 2/" in jia.line()
    assert yi.state == MISSING
    assert yi.line() == "乙校：未交（缺少 学校/乙校.xlsx）"


# ---- check: the summary on screen, the workbook on request ----------------------------


@pytest.fixture
def three_schools(tmp_path, real_catalog) -> Scenario:
    """甲校 filled (required figures), 乙校 returned blank, 丙校 not returned."""
    sc = Scenario(tmp_path / "inputs", real_catalog, registry=(JIA, YI, BING))
    sc.write_city()
    sc.write_school(JIA, required_values(real_catalog))
    sc.write_school(YI, {})
    return sc


def test_check_prints_one_progress_line_per_school_not_every_blank(three_schools):
    result = run("check", "--inputs", str(three_schools.inputs))
    assert result.exit_code == 1  # 乙校's required figures and 丙校's workbook are missing
    lines = [line.strip() for line in result.output.splitlines()]
    assert not [line for line in lines if "将印为“—”" in line and "›" in line]
    [jia] = [line for line in lines if line.startswith("甲校：")]
    assert jia.startswith("甲校：已填写") and "空白待补" in jia and "办学规模 4/4" in jia
    [yi] = [line for line in lines if line.startswith("乙校：")]
    assert yi.startswith("乙校：未填写") and "办学规模 0/4" in yi
    assert "丙校：未交（缺少 学校/丙校.xlsx）；数据确认：无工作簿" in lines
    assert any(line.startswith("另有") and "空白" in line for line in lines)


def sheet_rows(path: Path, title: str) -> list[tuple]:
    ws = openpyxl.load_workbook(path)[title]
    return [tuple(r) for r in ws.iter_rows(min_row=2, values_only=True)]


def test_report_workbook_holds_each_schools_findings_on_its_own_sheet(three_schools, tmp_path):
    out = tmp_path / "结果" / "检查结果.xlsx"
    result = run("check", "--inputs", str(three_schools.inputs), "--report", str(out))
    assert f"检查结果已写入 {out}" in result.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", "甲校", "乙校", "丙校", "市级及其他"]
    summary = [r[:3] for r in wb["汇总"].iter_rows(min_row=2, values_only=True)]
    assert summary[:3] == [
        ("甲校", "学校/甲校.xlsx", "已填写"),
        ("乙校", "学校/乙校.xlsx", "未填写"),
        ("丙校", "学校/丙校.xlsx", "未交"),
    ]
    report = three_schools.report()
    for short in ("甲校", "乙校", "丙校"):
        rows = sheet_rows(out, short)
        expected = [i for i in report if i.loc.file == f"学校/{short}.xlsx"]
        assert [r[1] for r in rows] == [str(i.loc) for i in expected]
        assert [r[6] for r in rows] == [i.message for i in expected]
    yi = wb["乙校"]
    first = yi["B2"]
    assert first.hyperlink.target == "../inputs/2024/学校/乙校.xlsx"
    assert first.hyperlink.location == f"'{yi['C2'].value}'!{yi['D2'].value}"
    assert yi["F2"].value == "（空）"
    assert any(r[0] == "错误" and "必填" in r[6] for r in sheet_rows(out, "乙校"))


def test_report_dir_writes_one_workbook_per_school_with_only_its_findings(three_schools, tmp_path):
    folder = tmp_path / "分发"
    run("check", "--inputs", str(three_schools.inputs), "--report-dir", str(folder))
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["丙校_检查结果.xlsx", "乙校_检查结果.xlsx", "甲校_检查结果.xlsx"]
    wb = openpyxl.load_workbook(folder / "甲校_检查结果.xlsx")
    assert wb.sheetnames == ["汇总", "甲校"]
    assert all("学校/甲校.xlsx" in r[1] for r in sheet_rows(folder / "甲校_检查结果.xlsx", "甲校"))


def calc_available() -> bool:
    soffice = find_soffice()
    if soffice is None:
        return False
    program = Path(shutil.which(soffice) or soffice).resolve().parent
    return any(program.glob("libsclo.so")) or any(program.glob("libsc*.dylib"))


@pytest.mark.skipif(not calc_available(), reason="LibreOffice Calc 未安装")
def test_report_workbook_opens_in_libreoffice_calc(three_schools, tmp_path):
    out = tmp_path / "检查结果.xlsx"
    run("check", "--inputs", str(three_schools.inputs), "--report", str(out))
    csv_dir = tmp_path / "csv"
    subprocess.run(
        [
            find_soffice(),
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(csv_dir),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    with open(csv_dir / "检查结果-甲校.csv", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0][:2] == ["级别", "位置"]
    assert all(r[1].startswith("学校/甲校.xlsx") for r in rows[1:])
    with open(csv_dir / "检查结果-汇总.csv", encoding="utf-8") as f:
        assert "丙校,学校/丙校.xlsx,未交" in f.read()


def test_school_without_graduates_is_not_asked_for_graduate_figures(real_catalog):
    required_graduates = [i for i in real_catalog.indicators if i.required == "graduates"]
    blank = {i.key: (None, None) for i in real_catalog.indicators if i.about_graduates}
    sd = school_data(real_catalog, JIA, {**blank, "graduates": (None, 0)})
    graduate_names = {i.name for i in real_catalog.indicators if i.about_graduates}
    names = {i.indicator for i in check_blank(sd, real_catalog)}
    assert required_graduates and not names & graduate_names
    wanted = sum(f.expected for f in sheet_fills(sd, real_catalog))
    assert wanted == len([i for i in real_catalog.indicators if not i.about_graduates])

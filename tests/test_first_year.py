"""A region's first year, by the documented path, with nothing it does not have yet.

new → fill 市级.xlsx (no 上年 anywhere; the figures only the bureau supplies left blank in
市级指标) → init → fill the four school workbooks' 本年 column only → check → build. The
reports must read as a bureau could publish them: no dash standing for a number inside a
sentence, no direction word the data does not back. This is checked on the rendered text
(python-docx, and LibreOffice's PDF through pdftotext), not on the templates.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from docxreport.catalog import default_catalog
from docxreport.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "inputs" / "2024" / "学校"
YEAR = 2025
# short, full, the sample school whose 本年 figures it takes
SCHOOLS = (
    ("北一职", "北山市第一职业中等专业学校", "市一职"),
    ("北职校", "北山职业技术学校", "杭后职教"),
    ("西县职中", "西川县职业中等专业学校", "前旗职中"),
    ("南县职高", "南河县高级职业中学", "五原职高"),
)
INFO = {
    "地区名称": "北山市",
    "地区全称": "北方省北山市",
    "行政区划代码": "159900",
    "编制单位": "北山市教育局",
    "声明日期": "2026年1月20日",
    "发布日期": "2026年1月",
    "审定": "赵强",
}
# A number printed as a dash inside a sentence: "较上年— —%", "— 万元；", "— 元。"
DASH_IN_SENTENCE = re.compile(r"较上年\s*—|—\s*—\s*%|—\s*(?:万元|元|人|个|门|所|项|名)[，；。、]")
DIRECTION = re.compile(r"逐年|较上年|比上年|与上年")


def _fill_city(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["基本信息"]
    for r in range(2, ws.max_row + 1):
        if ws[f"A{r}"].value in INFO:
            ws[f"B{r}"] = INFO[ws[f"A{r}"].value]
    for r, row in enumerate([("负责人", "赵强", "北山市教育局副局长")], 2):
        for c, value in enumerate(row, 1):
            wb["编制组"].cell(r, c, value)
    for r, (short, full, _) in enumerate(SCHOOLS, 2):
        for c, value in enumerate((r - 1, short, full), 1):
            wb["学校名册"].cell(r, c, value)
    wb.save(path)  # 市级指标 stays as written: no 上年, no bureau figure


def _fill_school(path: Path, source: Path) -> None:
    """The sample school's 本年 figures (as stored: a percent cell holds a fraction) and its
    majors; every 上年 cell left empty."""
    sample = openpyxl.load_workbook(source)
    current = {
        ws[f"A{r}"].value: ws[f"E{r}"].value
        for ws in sample
        if ws["A1"].value == "指标代码"
        for r in range(2, ws.max_row + 1)
    }
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        if ws["A1"].value != "指标代码":
            continue
        for r in range(2, ws.max_row + 1):
            value = current.get(ws[f"A{r}"].value)
            ws[f"D{r}"] = None
            ws[f"E{r}"] = value.replace("自治区", "省级") if isinstance(value, str) else value
    for r, row in enumerate(sample["专业设置"].iter_rows(min_row=2, values_only=True), 2):
        for c, value in enumerate(row, 1):
            wb["专业设置"].cell(r, c, value)
    wb.save(path)


@pytest.fixture(scope="module")
def first_year(tmp_path_factory):
    home = tmp_path_factory.mktemp("first-year")
    cwd = os.getcwd()
    os.chdir(home)
    try:
        runner = CliRunner()
        assert runner.invoke(main, ["new", str(YEAR)]).exit_code == 0
        _fill_city(home / "inputs" / str(YEAR) / "市级.xlsx")
        init = runner.invoke(main, ["init", str(YEAR)])
        assert init.exit_code == 0, init.output
        for short, _full, sample in SCHOOLS:
            _fill_school(
                home / "inputs" / str(YEAR) / "学校" / f"{short}.xlsx", SAMPLE / f"{sample}.xlsx"
            )
        check = runner.invoke(main, ["check"])
        build = runner.invoke(main, ["build", "--no-page-numbers"])
    finally:
        os.chdir(cwd)
    return home, check, build


def _reports(home: Path) -> list[Path]:
    return sorted((home / "out" / str(YEAR)).rglob("*.docx"))


def _prose(path: Path) -> list[str]:
    """The body paragraphs outside tables, as printed."""
    return [p.text for p in Document(str(path)).paragraphs if p.text.strip()]


def test_the_first_year_builds(first_year):
    home, check, build = first_year
    assert check.exit_code == 0, check.output
    assert build.exit_code == 0, build.output
    assert len(_reports(home)) == 1 + len(SCHOOLS)


def test_no_sentence_prints_a_dash_for_a_number(first_year):
    home = first_year[0]
    for report in _reports(home):
        found = [t for t in _prose(report) if DASH_IN_SENTENCE.search(t)]
        assert found == [], (report.name, found)


def test_no_sentence_states_a_direction_without_last_year(first_year):
    home = first_year[0]
    for report in _reports(home):
        claims = [t for t in _prose(report) if DIRECTION.search(t) and re.search(r"\d", t)]
        assert claims == [], (report.name, claims)
    city = next(r for r in _reports(home) if r.parent.name == str(YEAR))
    assert not any("逐年增加" in t for t in _prose(city))


def test_the_build_finds_no_sentence_to_warn_about(first_year):
    build = first_year[2]
    assert "句中" not in build.output


def test_blank_bureau_figures_are_warned_at_their_cells(first_year):
    home, check, _build = first_year
    given = [i for i in default_catalog().indicators if i.city.rule == "given"]
    wb = openpyxl.load_workbook(home / "inputs" / str(YEAR) / "市级.xlsx")
    rows = {wb["市级指标"][f"A{r}"].value: r for r in range(2, wb["市级指标"].max_row + 1)}
    line = next(ln for ln in check.output.splitlines() if "市级填报的指标空白待补" in ln)
    assert f"空白待补 {len(given)} 个" in line
    for ind in given:
        assert f"{ind.name}（市级指标!F{rows[ind.key]}）" in line
    assert f"市级 {len(given)}）" in check.output


def test_check_and_build_count_the_workbook_warnings_alike(first_year):
    _home, check, build = first_year
    said = re.search(r"工作簿 \d+ 个 \+ 空白待补 \d+ 个（[^）]*）", check.output)
    assert said and said[0] in build.output.splitlines()[-1]
    total = re.search(r"合计：错误 0 个；警告 (\d+) 个", check.output)
    assert total


def test_the_workbooks_offer_the_template_chapters(first_year):
    home = first_year[0]
    wb = openpyxl.load_workbook(home / "inputs" / str(YEAR) / "学校" / f"{SCHOOLS[0][0]}.xlsx")
    chapters = [r[0] for r in wb["章节一览"].iter_rows(min_row=2, values_only=True)]
    assert "1.14" in chapters and "6.7" in chapters
    rules = [dv for dv in wb["案例"].data_validations.dataValidation if dv.type == "list"]
    assert [str(r.sqref) for r in rules] == ["A2:A1000"]
    assert rules[0].formula1 == f"'章节一览'!$A$2:$A${len(chapters) + 1}"
    assert wb["案例"].column_dimensions["A"].number_format == "@"  # 1.10 stays 1.10


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="未安装 LibreOffice 或 poppler-utils，跳过 PDF 测试",
)
def test_the_city_report_reads_right_in_a_real_reader(first_year, tmp_path):
    home = first_year[0]
    city = next(r for r in _reports(home) if r.parent.name == str(YEAR))
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(city),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    pdf = tmp_path / city.with_suffix(".pdf").name
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "在校生" in flat and "北山市" in flat
    assert not re.search(r"较上年—|——%|—万元；|—元。", flat)
    assert "逐年增加" not in flat


def test_the_starter_templates_have_no_sentence_to_warn_about(first_year):
    check = first_year[1]
    assert "检查模板" in check.output and "句中" not in check.output


def test_the_city_workbook_says_how_dates_and_roles_are_written(first_year):
    home = first_year[0]
    wb = openpyxl.load_workbook(home / "inputs" / str(YEAR) / "市级.xlsx")
    notes = {r[0]: r[2] for r in wb["基本信息"].iter_rows(min_row=2, values_only=True)}
    assert "2025年1月20日" in notes["声明日期"] and "2025年1月" in notes["发布日期"]
    prompts = {str(dv.sqref): dv.prompt for dv in wb["编制组"].data_validations.dataValidation}
    assert "同一角色的人请连续排列" in prompts["A1:A200"]
    note = {r[1]: r[6] for r in wb["市级指标"].iter_rows(min_row=2, values_only=True)}
    assert "95.5%" in note["“双师型”教师比例"] and "9550%" in note["“双师型”教师比例"]


def test_charts_show_only_the_year_there_is(first_year):
    home = first_year[0]
    for report in _reports(home):
        captions = [p.text for p in Document(str(report)).paragraphs if p.style.name == "图题"]
        assert captions, report.name
        assert not [c for c in captions if f"{YEAR - 1} 年" in c], (report.name, captions)


def test_a_sentence_with_none_of_its_figures_leaves_no_empty_paragraph(first_year):
    home = first_year[0]
    city = next(r for r in _reports(home) if r.parent.name == str(YEAR))
    section, inside = [], False
    for p in Document(str(city)).paragraphs:
        heading = p.style.name.startswith("Heading")
        if heading and inside:
            break
        if inside:
            section.append(p.text)
        inside = inside or (heading and p.text.endswith("经费投入"))
    assert section and all(text.strip() for text in section), section


def test_the_report_workbook_counts_the_bureau_blanks(first_year, tmp_path):
    home = first_year[0]
    out = tmp_path / "检查结果.xlsx"
    inputs = str(home / "inputs")
    result = CliRunner().invoke(main, ["check", "--inputs", inputs, "--report", str(out)])
    assert result.exit_code == 0, result.output
    rows = {r[0]: r for r in openpyxl.load_workbook(out)["汇总"].iter_rows(values_only=True)}
    given = [i for i in default_catalog().indicators if i.city.rule == "given"]
    assert rows["市级及其他"][4:6] == (len(given), len(given))


def test_the_majors_table_is_captioned_with_the_school_s_full_name(first_year):
    home = first_year[0]
    city = next(r for r in _reports(home) if r.parent.name == str(YEAR))
    captions = [p.text for p in Document(str(city)).paragraphs if p.style.name == "表题"]
    majors = [c for c in captions if "专业设置及各专业学生情况一览表" in c]
    assert majors == [
        f"表 1-1 北山职业技术学校 {YEAR - 1} 学年、{YEAR} 学年专业设置及各专业学生情况一览表"
    ]

"""A second region from nothing, by the documented path: new → fill → init → fill → check → build.

The region is made from the sample's figures: every name changed, two schools dropped
(one of them the school the sample's city template used to name) and one school added
that has no graduates this year.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from docxreport.cli import main
from docxreport.issues import BLANK
from docxreport.load import load_year, region_catalog

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "inputs" / "2024"
YEAR = 2024
# sample short name → (new short, new full); 市体校 and 杭后职教 are left out
RENAMED = {
    "市一职": ("湖一职", "湖滨市第一职业中等专业学校"),
    "市职校": ("湖职校", "湖滨职业技术学校"),
    "市艺校": ("湖艺校", "湖滨市艺术学校"),
    "前旗职中": ("东县职中", "东山县职业中等专业学校"),
    "五原职高": ("南县职高", "南川县高级职业中学"),
}
NEW_SCHOOL = ("湖新职校", "湖滨市现代职业学校")  # no graduates yet; other figures of 市职校
SAMPLE_WORDS = (
    "巴彦淖尔", "内蒙古", "自治区", "河套", "五原", "乌拉特", "临河", "杭锦", "杭后", "前旗",
    "市一职", "市职校", "市艺校", "市体校", "巴市",
)  # fmt: skip
INFO = {
    "地区名称": "湖滨市",
    "地区全称": "江南省湖滨市",
    "行政区划代码": "339900",
    "编制单位": "湖滨市教育局",
    "声明日期": "2025年1月20日",
    "发布日期": "2025年1月",
    "审定": "李明",
}


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result


def _fill_city(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["基本信息"]
    for r in range(2, ws.max_row + 1):
        if ws[f"A{r}"].value in INFO:
            ws[f"B{r}"] = INFO[ws[f"A{r}"].value]
    team = wb["编制组"]
    for r, row in enumerate(
        [("负责人", "李明", "湖滨市教育局副局长"), ("数据采集", "王芳", "职成科科员")], 2
    ):
        for c, value in enumerate(row, 1):
            team.cell(r, c, value)
    reg = wb["学校名册"]
    schools = [*RENAMED.values(), NEW_SCHOOL]
    for r, (short, full) in enumerate(schools, 2):
        reg.cell(r, 1, r - 1)
        reg.cell(r, 2, short)
        reg.cell(r, 3, full)
    wb.save(path)


def _indicator_values(wb) -> dict[str, tuple]:
    out = {}
    for ws in wb:
        if ws["A1"].value != "指标代码":
            continue
        for r in range(2, ws.max_row + 1):
            if ws[f"A{r}"].value:
                out[ws[f"A{r}"].value] = (ws[f"D{r}"].value, ws[f"E{r}"].value)
    return out


def _fill_school(path: Path, source: Path, graduates: bool, graduate_keys: set[str]) -> None:
    values = _indicator_values(openpyxl.load_workbook(source))
    sample = openpyxl.load_workbook(source)
    wb = openpyxl.load_workbook(path)
    zero = False
    for ws in wb:
        if ws["A1"].value != "指标代码":
            continue
        for r in range(2, ws.max_row + 1):
            key = ws[f"A{r}"].value
            prev, curr = values.get(key, (None, None))
            if not graduates and key == "graduates":
                prev, curr = 0, 0  # a young school: no class has finished yet
            elif not graduates and key in graduate_keys:
                prev, curr = None, (0 if zero else None)  # some typed 0, some left blank
                zero = not zero
            if isinstance(curr, str):  # a note written for the sample region
                curr = curr.replace("自治区", "省级")
            ws[f"D{r}"], ws[f"E{r}"] = prev, curr
    majors = wb["专业设置"]
    for r, row in enumerate(sample["专业设置"].iter_rows(min_row=2, values_only=True), 2):
        for c, value in enumerate(row, 1):
            majors.cell(r, c, value)
    case = wb["案例"]
    case["A2"], case["B2"] = "1.14", "校企合作共育技能人才"
    case["C2"] = "学校与本地企业共建实训基地，开设订单班，学生在真实岗位上学习技能。"
    wb.save(path)


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    """The documented path, in an empty folder: new, fill the registry, init, fill, build."""
    home = tmp_path_factory.mktemp("region")
    cwd = os.getcwd()
    os.chdir(home)
    try:
        new = run("new", str(YEAR))
        assert new.exit_code == 0, new.output
        _fill_city(home / "inputs" / str(YEAR) / "市级.xlsx")
        init = run("init", str(YEAR))
        assert init.exit_code == 0, init.output
        cat = region_catalog(home / "inputs", YEAR)
        graduate_keys = {i.key for i in cat.indicators if i.about_graduates}
        folder = home / "inputs" / str(YEAR) / "学校"
        for old, (short, _full) in RENAMED.items():
            _fill_school(
                folder / f"{short}.xlsx", SAMPLE / "学校" / f"{old}.xlsx", True, graduate_keys
            )
        _fill_school(
            folder / f"{NEW_SCHOOL[0]}.xlsx", SAMPLE / "学校" / "市职校.xlsx", False, graduate_keys
        )
        check = run("check")
        build = run("build", "--no-page-numbers")
    finally:
        os.chdir(cwd)
    return home, check, build


def test_check_and_build_succeed(region):
    _home, check, build = region
    assert check.exit_code == 0, check.output
    assert build.exit_code == 0, build.output
    assert "学校报告 6 份" in build.output and "全市报告 1 份" in build.output


def test_no_spurious_warnings(region):
    home, _check, build = region
    loaded = load_year(home / "inputs", YEAR, region_catalog(home / "inputs", YEAR))
    other = [str(i) for i in loaded.report.warnings if i.kind != BLANK]
    assert other == []
    assert "未填报" not in build.output and "无法按" not in build.output
    # the build's own warnings are the placeholders still to be written, each with its chapter
    warned = [line for line in build.output.splitlines() if line.startswith("警告")]
    assert warned and all("待撰写的占位段落" in line and "章节：" in line for line in warned)


def _texts(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    parts += [doc.core_properties.title, doc.core_properties.author]
    return "\n".join(parts)


def test_no_name_of_the_sample_region_anywhere(region):
    home = region[0]
    reports = sorted((home / "out" / str(YEAR)).rglob("*.docx"))
    assert len(reports) == 7
    for report in reports:
        text = _texts(report)
        found = sorted({w for w in SAMPLE_WORDS if w in text})
        assert not found, (report.name, found)
    city = _texts(home / "out" / str(YEAR) / "湖滨市中等职业教育质量年度报告（2024）.docx")
    assert "江南省湖滨市" in city and "湖滨市教育局" in city and "省级及以上" in city


def test_city_totals_are_the_sum_of_the_schools(region):
    home = region[0]
    data = load_year(home / "inputs", YEAR, region_catalog(home / "inputs", YEAR)).data
    for key in ("students", "staff", "graduates", "enrolment"):
        schools = [data.figure(key, "curr", s.short).value for s in data.city.registry]
        assert data.figure(key).value == sum(schools), key
    doc = Document(str(home / "out" / str(YEAR) / "湖滨市中等职业教育质量年度报告（2024）.docx"))
    scale = next(t for t in doc.tables if t.cell(0, 0).text == "学校" and "在校生" in _row(t, 0))
    total = next(row for row in scale.rows if row.cells[0].text == "总计")
    assert f"{data.figure('students').value:,}".replace(",", "") in [
        c.text.replace(",", "") for c in total.cells
    ]


def _row(table, r: int) -> str:
    return " ".join(c.text for c in table.rows[r].cells)


def test_the_new_school_prints_dashes_and_says_it_has_no_graduates(region):
    home = region[0]
    path = home / "out" / str(YEAR) / "学校" / f"{NEW_SCHOOL[1]}质量年度报告（2024）.docx"
    doc = Document(str(path))
    text = _texts(path)
    assert "本校本年度无毕业生" in text
    rows = [
        [c.text for c in row.cells]
        for t in doc.tables
        for row in t.rows
        if len(row.cells) == 5 and row.cells[1].text in ("毕业去向落实人数", "毕业生本省去向落实率")
    ]
    assert len(rows) == 2 and all(r[-1] == "—" for r in rows)  # annex 1, this year: —
    assert not re.search(r"毕业生 \d", text.split("本校本年度无毕业生")[0][-200:])


def test_starter_templates_pass_the_check_with_placeholders_only():
    from docxreport.checks.templates import check_templates

    issues = check_templates(
        ROOT / "src" / "docxreport" / "starter", region_catalog(SAMPLE.parent, YEAR)
    )
    assert not [i for i in issues if i.is_error]
    assert issues and all("待撰写的占位段落" in i.message for i in issues)
    for name in ("city.docx", "school.docx"):
        text = _texts(ROOT / "src" / "docxreport" / "starter" / name)
        assert not [w for w in SAMPLE_WORDS if w in text], name


def test_new_keeps_every_file_that_exists(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "city.docx").write_bytes(b"mine")
    args = ["new", "2025", "--inputs", str(tmp_path / "inputs"), "--templates", str(templates)]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert (templates / "city.docx").read_bytes() == b"mine"
    assert "保留" in result.output and (templates / "school.docx").is_file()
    again = run(*args)
    assert again.output.count("保留") == 4  # 市级.xlsx, 指标目录.xlsx and the two templates

"""``docxreport confirm``: each school's 数据确认表 lists exactly its printed figures."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn

from docxreport import layout as L
from docxreport.cli import main
from docxreport.confirm import FORM_DIR, form_name
from docxreport.finish.pdf import find_soffice
from docxreport.model import School

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "inputs" / "2024"
TEMPLATES = ROOT / "templates"
SHI_YI = School("市一职", "临河区第一职业中等专业学校")
HANG_HOU = School("杭后职教", "杭锦后旗职业教育中心")
HEADING = re.compile(r"^[一二三四五六七八九十]+、(.+)$")


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    return result


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """The sample's forms for 市一职 and 杭后职教, and the builds' data-source listings."""
    tmp = tmp_path_factory.mktemp("confirm")
    inputs = tmp / "inputs"
    shutil.copytree(SAMPLE, inputs / "2024")
    args = ["--inputs", str(inputs), "--templates", str(TEMPLATES)]
    schools = ["--school", SHI_YI.short, "--school", HANG_HOU.short]
    result = run("confirm", *args, "--out", str(tmp / "out"), *schools)
    assert result.exit_code == 0, result.output
    for name, which in (("city", ["--city-only"]), ("schools", schools)):
        built = run("build", *args, "--out", str(tmp / name), "--no-page-numbers", *which)
        assert built.exit_code == 0, built.output
    return tmp


def form_path(made: Path, school: School) -> Path:
    return made / "out" / "2024" / FORM_DIR / form_name(school, 2024)


def ledger_cells(made: Path, school: School) -> set[tuple[str, str]]:
    """(sheet, cell) of the school behind every figure the two builds traced to a source."""
    wanted = re.compile(
        re.escape(f"{L.SCHOOL_DIR}/{school.short}.xlsx") + r" › ([^!；（）]+)!([A-Z]+\d+)"
    )
    cells = set()
    for name in ("city", "schools"):
        ws = openpyxl.load_workbook(made / name / "2024" / "数据来源.xlsx").active
        source_col = [str(c.value).startswith("来源") for c in ws[1]].index(True) + 1
        for r in range(2, ws.max_row + 1):
            cells |= set(wanted.findall(str(ws.cell(row=r, column=source_col).value or "")))
    return cells


def form_tables(path: Path) -> list[tuple[str, list[list[str]]]]:
    """(sheet named by the heading above, rows of cell texts) for each group's table."""
    doc = Document(str(path))
    out, sheet = [], None
    tables = iter(doc.tables[1:])  # the first table holds the school, year and version
    for block in doc.element.body:
        if block.tag == qn("w:p"):
            text = "".join(t.text or "" for t in block.iter(qn("w:t")))
            match = HEADING.match(text)
            sheet = match[1] if match else sheet
        elif block.tag == qn("w:tbl") and sheet is not None:
            table = next(tables)
            out.append((sheet, [[c.text for c in row.cells] for row in table.rows]))
    return out


def as_printed(cell) -> str:
    """A workbook cell as the report prints it, worked out from the cell and its format only."""
    value, fmt = cell.value, cell.number_format
    if value is None:
        return "—"
    if isinstance(value, str):
        return value.strip()
    places = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
    number = Decimal(repr(value)) * (100 if fmt.endswith("%") else 1)
    return str(number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def form_cells(path: Path, workbook: Path) -> dict[tuple[str, str], tuple[str, object]]:
    """(sheet, cell) → (text on the form, the workbook cell) for every figure the form lists.

    Rows are matched to the workbook by their label (indicator sheets) or by 专业代码 (lists),
    columns by their header.
    """
    wb = openpyxl.load_workbook(workbook)
    found = {}
    for sheet, rows in form_tables(path):
        ws = wb[sheet]
        head, body = rows[0], rows[1:]
        if head[:3] == ["序号", "指标", "单位"]:
            labels = {
                re.sub(r"^[\u3000 ]*(其中：)?", "", str(ws[f"B{r}"].value)): r
                for r in range(2, ws.max_row + 1)
            }
            for row in body:
                r = labels[row[1].removeprefix("其中：")]
                for title, text in zip(head[3:], row[3:], strict=True):
                    col = L.PREV_COL if title.startswith("2023") else L.CURR_COL
                    if text:
                        found[(sheet, f"{col}{r}")] = (text, ws[f"{col}{r}"])
        else:
            columns = {c.value: c.column_letter for c in ws[1]}
            codes = {str(ws[f"A{r}"].value): r for r in range(2, ws.max_row + 1)}
            for row in body:
                r = codes[row[1]]
                for title, text in zip(head[1:], row[1:], strict=True):
                    cell = ws[f"{columns[title]}{r}"]
                    if cell.value is not None:
                        found[(sheet, cell.coordinate)] = (text, cell)
    return found


@pytest.mark.parametrize("school", [SHI_YI, HANG_HOU], ids=lambda s: s.short)
def test_form_lists_exactly_the_school_s_printed_figures_as_its_workbook_holds_them(made, school):
    workbook = SAMPLE / L.SCHOOL_DIR / f"{school.short}.xlsx"
    listed = form_cells(form_path(made, school), workbook)
    assert set(listed) == ledger_cells(made, school)
    for where, (text, cell) in listed.items():
        assert text == as_printed(cell), where


def test_form_names_the_school_year_version_and_carries_the_signature_lines(made):
    doc = Document(str(form_path(made, SHI_YI)))
    text = "\n".join(p.text for p in doc.paragraphs)
    facts = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert facts["学校名称"] == f"{SHI_YI.full}（{SHI_YI.short}）"
    assert facts["报告年度"] == "2024 年度"
    assert facts["数据表"] == "学校/市一职.xlsx"
    full = facts["完整指纹（SHA-256）"].replace(" ", "")
    assert re.fullmatch(r"[0-9a-f]{64}", full) and full.startswith(facts["数据表版本"])
    count = sum(1 for _ in form_cells(form_path(made, SHI_YI), SAMPLE / "学校" / "市一职.xlsx"))
    assert (
        f"{SHI_YI.full}对本表所列本校 2024 年度质量年度报告数据（共 {count} 项，"
        f"数据表版本 {facts['数据表版本']}）的真实性、完整性和准确性负责。特此声明。" in text
    )
    for line in ("填表人（签名）", "学校负责人（签名）", f"单位（盖章）：{SHI_YI.full}", "日期："):
        assert line in text
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    fonts = {r.get(qn("w:eastAsia")) for r in doc.element.body.iter(qn("w:rFonts"))}
    assert {"仿宋_GB2312", "黑体", "宋体"} <= fonts
    footer = "".join(t.text or "" for t in section.footer._element.iter(qn("w:t")))
    assert facts["数据表版本"] in footer and "第" in footer


def test_the_version_on_the_form_recorded_in_the_registry_confirms_the_school(made, tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(made / "inputs", inputs)
    version = Document(str(form_path(made, SHI_YI))).tables[0].rows[3].cells[1].text
    city = inputs / "2024" / L.CITY_FILE
    wb = openpyxl.load_workbook(city)
    wb[L.REGISTRY_SHEET]["E2"] = version  # 市一职 is the registry's first school
    wb.save(city)
    out = run("check", "--inputs", str(inputs)).output
    assert re.search(r"^\s*市一职：.*；数据确认：已确认", out, re.M), out
    assert re.search(r"^\s*市职校：.*；数据确认：未确认", out, re.M), out

    book = inputs / "2024" / L.SCHOOL_DIR / "市一职.xlsx"
    wb = openpyxl.load_workbook(book)
    wb["办学规模"]["E4"] = 2956
    wb.save(book)
    out = run("check", "--inputs", str(inputs)).output
    assert re.search(r"^警告\s+市级\.xlsx › 学校名册!E2 .*已过期.*学校/市一职\.xlsx", out, re.M), (
        out
    )


def test_an_edited_form_is_kept_unless_forced_then_backed_up(made, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(made / "out", out)
    path = out / "2024" / FORM_DIR / form_name(SHI_YI, 2024)
    edited = path.read_bytes() + b"edited"  # changed after it was written
    path.write_bytes(edited)
    args = ["confirm", "--inputs", str(made / "inputs"), "--templates", str(TEMPLATES)]
    args += ["--out", str(out), "--school", "市一职"]
    result = run(*args)
    assert result.exit_code == 1 and f"保留 {path}" in result.output, result.output
    assert path.read_bytes() == edited
    result = run(*args, "--force")
    assert result.exit_code == 0, result.output
    assert path.read_bytes() != edited
    assert list(path.parent.glob(f"{path.stem}.备份-*.docx"))


def test_an_unknown_school_is_refused_with_the_registry_listed(made, tmp_path):
    result = run(
        "confirm", "--inputs", str(made / "inputs"), "--out", str(tmp_path), "--school", "市二职"
    )
    assert result.exit_code == 1
    assert (
        "学校名册中没有“市二职”" in result.output
        and "市一职（临河区第一职业中等专业学校）" in result.output
    )
    assert not (tmp_path / "2024").exists()


def test_errors_in_the_workbooks_stop_confirm_before_anything_is_written(real_scenario, tmp_path):
    real_scenario.set("甲校", "办学规模", "E2", "一百")
    args = ["--inputs", str(real_scenario.inputs), "--templates", str(TEMPLATES)]
    result = run("confirm", *args, "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "未生成数据确认表" in result.output and "学校/甲校.xlsx › 办学规模!E2" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(find_soffice() is None, reason="未安装 LibreOffice")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="未安装 poppler-utils")
def test_pdf_of_the_form_is_written_beside_it_and_reads_as_the_form(made, tmp_path):
    out = tmp_path / "out"
    args = ["--inputs", str(made / "inputs"), "--templates", str(TEMPLATES), "--out", str(out)]
    args += ["--school", "杭后职教"]
    result = run("confirm", *args, "--pdf")
    assert result.exit_code == 0, result.output
    pdf = (out / "2024" / FORM_DIR / form_name(HANG_HOU, 2024)).with_suffix(".pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")[:-1]
    assert 2 <= len(pages) <= 6
    assert HANG_HOU.full in pages[0] and "内容真实性责任声明" in pages[-1]
    assert all(f"共{len(pages)}页" in "".join(page.split()) for page in pages)

"""The city report built from the 2024 sample: content, figures, safety, a real reader."""

from __future__ import annotations

import difflib
import functools
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from docxreport import layout as L
from docxreport.build import CITY_TEMPLATE, Job, run_job
from docxreport.catalog import default_catalog
from docxreport.dump import blocks
from docxreport.load import load_year

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "inputs"
GOLDEN = Path(__file__).parent / "golden" / "city.txt"
REFERENCE = Path(__file__).parent / "fixtures" / "reference_contents.txt"
UPDATE = os.environ.get("DOCXREPORT_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cat = default_catalog("自治区")
    loaded = load_year(INPUTS, 2024, cat)
    assert loaded.data is not None, [str(i) for i in loaded.report.errors]
    out = tmp_path_factory.mktemp("out") / "city.docx"
    run_job(
        Job("全市报告", ROOT / "templates" / CITY_TEMPLATE, out), loaded.data, cat, loaded.folder
    )
    return out


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def reference_entries() -> dict[str, list[str]]:
    """The reference report's 目录, 表目录, 图目录 and 案例目录 entries, without page numbers."""
    parts: dict[str, list[str]] = {}
    current = ""
    for line in REFERENCE.read_text("utf-8").splitlines():
        line = line.strip()
        if line in ("目录", "表目录", "图目录", "案例目录"):
            current = line
            continue
        entry = re.sub(r"[.\s]*\d+$", "", line.replace("\t", " ")).rstrip(".")
        parts.setdefault(current, []).append(squash(entry))
    return parts


def test_golden_content_matches(built: Path) -> None:
    text = "\n".join(blocks(built)) + "\n"
    if UPDATE:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, "utf-8")
    expected = GOLDEN.read_text("utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(True), text.splitlines(True), "golden", "built", n=1
            )
        )
        pytest.fail("城市报告内容与 tests/golden/city.txt 不一致：\n" + diff[:6000])


def test_every_heading_of_the_reference_contents_is_a_heading(built: Path) -> None:
    doc = Document(str(built))
    headings = {
        squash(p.text)
        for p in doc.paragraphs
        if p.style.name.startswith("Heading") or p.style.name in ("标题 2 不编号", "附表标题")
    }
    missing = [e for e in reference_entries()["目录"] if e not in headings]
    assert missing == []


@pytest.mark.parametrize("kind,style", [("表目录", "表题"), ("案例目录", "案例标题")])
def test_every_table_and_case_title_is_present(built: Path, kind: str, style: str) -> None:
    doc = Document(str(built))
    captions = [squash(p.text) for p in doc.paragraphs if p.style.name == style]
    captions += [
        squash(p.text)
        for t in doc.tables
        for row in t.rows
        for cell in row.cells
        for p in cell.paragraphs
        if p.style.name == style
    ]
    for entry in reference_entries()[kind]:
        # The reference spells a few titles differently in its lists and its body.
        best = max((difflib.SequenceMatcher(None, entry, c).ratio() for c in captions), default=0)
        assert best > 0.85, entry


def _text(element: object) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t"))).strip()


def _table_after(doc: Document, caption_start: str) -> list[list[str]]:
    """The cell texts of the table that follows the caption starting with ``caption_start``."""
    found = False
    for item in doc.iter_inner_content():
        if isinstance(item, Paragraph):
            is_caption = item.style.name in ("表题", "附表标题")
            found = found or (is_caption and squash(item.text).startswith(squash(caption_start)))
        elif found:
            return [[_text(tc) for tc in tr.iter(qn("w:tc"))] for tr in item._tbl.iter(qn("w:tr"))]
    raise AssertionError(f"没有找到 {caption_start}")


@functools.cache
def _workbook(school: str) -> openpyxl.Workbook:
    return openpyxl.load_workbook(INPUTS / "2024" / L.SCHOOL_DIR / f"{school}.xlsx", data_only=True)


def _cell(school: str, key: str, period: str) -> object:
    """A figure read straight from the school's workbook, independently of docxreport."""
    sheet, row = L.indicator_cells(default_catalog("自治区"))[key]
    cell = _workbook(school)[sheet][f"{L.PERIOD_COL[period]}{row}"]
    return cell.value * 100 if "%" in cell.number_format else cell.value


def test_scale_table_figures_come_from_the_workbooks_and_totals_are_sums(built: Path) -> None:
    rows = _table_after(Document(str(built)), "表 1-5")
    body = {r[0]: r[1:] for r in rows[2:]}
    columns = [
        ("staff", "curr"),
        ("enrolment", "prev"),
        ("enrolment", "curr"),
        ("students", "prev"),
        ("students", "curr"),
        ("graduates", "prev"),
        ("graduates", "curr"),
    ]
    schools = [s for s in body if s != "总计"]
    assert len(schools) == 7
    for c, (key, period) in enumerate(columns):
        values = [_cell(s, key, period) for s in schools]
        assert [int(body[s][c]) for s in schools] == values
        assert int(body["总计"][c]) == sum(values)
    # The published report printed 3321 for 2023 graduates; the schools add up to 3221.
    assert body["总计"][5] == "3221"


def test_teacher_table_ratio_and_means_follow_the_catalog_rules(built: Path) -> None:
    rows = _table_after(Document(str(built)), "表 6-1")
    schools = rows[0][1:-1]
    by_label = {r[0]: r[1:] for r in rows[1:]}
    students = sum(_cell(s, "students", "curr") for s in schools)
    teachers = sum(_cell(s, "fulltime_teachers", "curr") for s in schools)
    ratio = next(v for k, v in by_label.items() if k.startswith("生师比"))
    assert ratio[-1] == f"{students / teachers:.2f}" == "9.42"
    dual = next(v for k, v in by_label.items() if "双师型" in k)
    mean = sum(_cell(s, "dual_teacher_rate", "curr") for s in schools) / len(schools)
    assert float(dual[-1]) == pytest.approx(mean, abs=0.01)


def test_output_is_well_formed_and_has_no_template_tags(built: Path) -> None:
    with zipfile.ZipFile(built) as z:
        for name in z.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                etree.fromstring(z.read(name))  # raises on malformed XML
        document = z.read("word/document.xml").decode("utf-8")
    text = "".join(etree.fromstring(document.encode()).itertext())
    for tag in ("{{", "}}", "{%", "%}", "{#"):
        assert tag not in text


def test_empty_value_shows_a_dash_not_zero(built: Path) -> None:
    rows = _table_after(Document(str(built)), "表3 教学资源表")
    dual = next(r for r in rows if r[1].endswith("“双师型”教师比例"))
    # The 2023 report printed nothing here: the cell is empty, not zero.
    assert dual[-2:] == ["—", "57.41"]


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="未安装 LibreOffice（soffice），跳过真实阅读器测试"
)
def test_libreoffice_renders_the_report(built: Path, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(built),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = tmp_path / "city.pdf"
    assert pdf.is_file()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    assert 40 <= pages <= 150
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "各职业学校教职工、招生、在校生、毕业生规模一览表" in text

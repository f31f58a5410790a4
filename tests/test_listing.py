"""The data-source listing equals the figures the documents print, in both directions.

The sample's city report and one school report are built; then every number printed in
their prose and data tables is counted from the documents' text, independently of how
the build recorded it, and compared with the listing's rows for that report:

- every listed figure is printed where the listing says (a table, or the prose);
- every number printed in the prose or a data table is listed, except the numbers the
  template itself spells out, the years and the dates, and a data table's 序号 column.

Case boxes and photo captions are the schools' own words and hold no figures. A chart's
figures are read from its part (the values it draws), in the chart's number format.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from docxreport.cli import main
from docxreport.render.chartpatch import chart_values
from docxreport.render.charts import R

ROOT = Path(__file__).resolve().parents[1]
INPUTS, TEMPLATES = ROOT / "inputs", ROOT / "templates"
YEAR = 2024
NUMBER = re.compile(r"(?<![\d.\-])\d[\d,]*(?:\.\d+)?(?![\d\-.]\d|[\d\-])")
WHOLE_NUMBER = re.compile(r"^\d[\d,]*(?:\.\d+)?$")
DATE = re.compile(r"\d{4} ?年 ?\d{1,2} ?月(?: ?\d{1,2} ?日)?")
TAG = re.compile(r"\{[{%#].*?[}%#]\}")
PROSE_STYLES = ("Normal", "Body Text", "正文")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The city report and 杭后职教's, each with its own listing."""
    out = tmp_path_factory.mktemp("listing")
    for folder, only in (("city", "--city-only"), ("school", "--school=杭后职教")):
        args = ["--inputs", str(INPUTS), "--templates", str(TEMPLATES), "--out", str(out / folder)]
        result = CliRunner().invoke(main, ["build", *args, "--no-page-numbers", only])
        assert result.exit_code == 0, result.output
    return out


def listing(folder: Path, report: str) -> list[tuple[str, str]]:
    """(place, printed) of every listed figure of ``report``."""
    ws = openpyxl.load_workbook(folder / "数据来源.xlsx").active
    return [(r[1], str(r[4])) for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == report]


def blocks(doc) -> list[Paragraph | Table]:
    body = doc.element.body
    out: list[Paragraph | Table] = []
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            out.append(Paragraph(child, doc))
        elif child.tag.endswith("}tbl"):
            out.append(Table(child, doc))
    return out


def is_data_table(table: Table) -> bool:
    """A data table, not a case box, a photo pair or a missing-photo frame."""
    first = table.cell(0, 0).paragraphs[0]
    return (
        first.style.name != "案例标题"
        and not table._tbl.xpath(".//pic:pic")
        and (len(table.columns) > 1 and "【图片待补充】" not in first.text)
    )


def template_numbers(template: Path) -> Counter:
    """Numbers the template spells out in its prose, outside any tag."""
    numbers: Counter = Counter()
    for p in Document(str(template)).paragraphs:
        if p.style.name in PROSE_STYLES:
            numbers.update(NUMBER.findall(DATE.sub("", TAG.sub(" ", p.text))))
    return numbers


def printed(report: Path) -> tuple[Counter, list[tuple[str, Counter, Counter]]]:
    """Numbers in the prose; per data table (caption, all cell texts, number cells)."""
    doc = Document(str(report))
    prose: Counter = Counter()
    tables = []
    caption = ""
    for block in blocks(doc):
        if isinstance(block, Paragraph):
            if block.style.name == "表题":
                caption = block.text
            elif block.style.name in PROSE_STYLES:
                prose.update(NUMBER.findall(DATE.sub("", block.text)))
            continue
        if not is_data_table(block):
            continue
        rows = [[c.text for c in row.cells] for row in block.rows]
        skip = 0 if rows[0][0] != "序号" else 1
        cells: Counter = Counter()
        numbers: Counter = Counter()
        seen: set = set()  # the cells' elements, kept alive so that identity holds
        for row in block.rows[1:]:
            for c, cell in enumerate(row.cells):
                if cell._tc in seen:
                    continue  # a merged cell appears once per row it spans
                seen.add(cell._tc)
                cells[cell.text] += 1
                if c >= skip and WHOLE_NUMBER.match(cell.text):
                    numbers[cell.text] += 1
        tables.append((caption, cells, numbers))
    return prose, tables


def charted(report: Path) -> list[Counter]:
    """Per chart, in order: the values it draws, as its number format prints them."""
    doc = Document(str(report))
    out = []
    for ref in doc.element.body.iter("{*}chart"):
        blob = doc.part.related_parts[ref.get(f"{{{R}}}id")].blob
        code = re.search(rb"<c:formatCode>([^<]*)</c:formatCode>", blob)
        decimals = len(code.group(1).split(b".")[1]) if code and b"." in code.group(1) else 0
        _, series = chart_values(blob)
        out.append(Counter(f"{v:.{decimals}f}" for _, vs in series for v in vs if v is not None))
    return out


@pytest.mark.parametrize(
    ("report", "template", "name"),
    [
        ("全市报告", "city.docx", "city/2024/巴彦淖尔市中等职业教育质量年度报告（2024）.docx"),
        (
            "杭后职教",
            "school.docx",
            "school/2024/学校/杭锦后旗职业教育中心质量年度报告（2024）.docx",
        ),
    ],
)
def test_listing_equals_the_printed_figures_both_ways(
    built: Path, report: str, template: str, name: str
) -> None:
    rows = listing(built / name.split("/")[0] / str(YEAR), report)
    prose, tables = printed(built / name)

    listed_prose = Counter(text for place, text in rows if place == "正文")
    assert not listed_prose - prose, "listed but not printed in the prose"
    unlisted = prose - listed_prose - template_numbers(TEMPLATES / template)
    unlisted -= Counter({str(YEAR): 99, str(YEAR - 1): 99})
    assert not unlisted, f"printed in the prose but not listed: {unlisted}"

    # Pair the listed tables with the document's data tables in order; a table the
    # template writes out itself (a course list) prints no figure and has no rows.
    charts = list(dict.fromkeys(place for place, _ in rows if place.startswith("图：")))
    drawn = charted(built / name)
    assert len(charts) == len(drawn), "every chart has its rows, and no other chart"
    for place, values in zip(charts, drawn, strict=True):
        assert Counter(text for p, text in rows if p == place) == values, place
    rows = [(place, text) for place, text in rows if not place.startswith("图：")]
    places = list(dict.fromkeys(place for place, _ in rows if place != "正文"))
    for caption, cells, numbers in tables:
        listed = Counter(text for p, text in rows if places and p == places[0])
        if not places or listed - cells:
            assert not numbers, f"{caption}: printed numbers but not listed: {numbers}"
            continue
        place = places.pop(0)
        listed_numbers = Counter(t for t in listed.elements() if WHOLE_NUMBER.match(t))
        assert numbers == listed_numbers, f"{place} ({caption}): printed ≠ listed"
    assert not places, f"listed tables not found in the document: {places}"


def test_a_zero_the_template_only_tests_is_not_listed(built: Path) -> None:
    """杭后职教 reports 0 专业群 and 0 教材: the template tests them with has() and leaves
    their sentences out, so the listing has no row for them (it used to have one)."""
    ws = openpyxl.load_workbook(built / "school" / str(YEAR) / "数据来源.xlsx").active
    prose = [
        r[2] for r in ws.iter_rows(min_row=2, values_only=True) if r[:2] == ("杭后职教", "正文")
    ]
    assert prose and "专业群数" not in " ".join(prose)
    assert not any(name.startswith("教材") or "出版教材" in name for name in prose)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="未安装 LibreOffice（soffice）")
def test_libreoffice_reads_the_listing_as_openpyxl_does(built: Path, tmp_path: Path) -> None:
    """The listing's XML is written by hand: a real spreadsheet application must read it."""
    path = built / "city" / str(YEAR) / "数据来源.xlsx"
    done = subprocess.run(
        ["soffice", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
         "--outdir", str(tmp_path), str(path)],
        capture_output=True,
        timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with (tmp_path / "数据来源.csv").open(encoding="utf-8", newline="") as f:
        theirs = [tuple(row) for row in csv.reader(f)]
    ws = openpyxl.load_workbook(path).active
    ours = [
        tuple("" if v is None else str(v) for v in row) for row in ws.iter_rows(values_only=True)
    ]
    assert len(theirs) > 100 and theirs == ours
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:F{len(ours)}"

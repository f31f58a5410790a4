"""The cell reader gives what openpyxl's ``load_workbook(data_only=True)`` gives.

Every workbook the readers meet is read both ways and compared cell by cell: value and its
type, number format, extent, merged ranges, hidden rows and columns. The inputs are the
sample's workbooks, the bad-input corpus, a package written by hand with every kind of cell
the format has, and workbooks saved by LibreOffice Calc (computed formulas, dates).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import datetime, time, timedelta
from pathlib import Path

import openpyxl
import pytest

from docxreport.workbook.cells import column_index, column_letter, is_date_format
from docxreport.workbook.confirmed import content_digest
from docxreport.workbook.package import Package

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "fixtures" / "bad"


def assert_same(data: bytes) -> None:
    """Both readers agree on every sheet of the workbook ``data``."""
    theirs = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    ours = Package(data).load()
    assert ours.sheetnames == theirs.sheetnames
    assert [ws.title for ws in ours.worksheets] == [ws.title for ws in theirs.worksheets]
    for expected in theirs.worksheets:
        got = ours[expected.title]
        where = expected.title
        assert (got.max_row, got.max_column) == (expected.max_row, expected.max_column), where
        for (r, c), cell in expected._cells.items():
            mine = got.cell(r, c)
            assert mine.value == cell.value, (where, cell.coordinate)
            assert type(mine.value) is type(cell.value), (where, cell.coordinate)
            assert mine.number_format == (cell.number_format or "General"), (where, cell.coordinate)
        assert set(got.cells) == set(expected._cells), where
        assert [r.coord for r in got.merged_cells.ranges] == [
            r.coord for r in expected.merged_cells.ranges
        ]
        hidden_rows = {r for r, d in expected.row_dimensions.items() if d.hidden}
        assert {r for r, d in got.row_dimensions.items() if d.hidden} == hidden_rows
        hidden_cols = {(d.min, d.max) for d in expected.column_dimensions.values() if d.hidden}
        assert {(d.min, d.max) for d in got.column_dimensions.values() if d.hidden} == hidden_cols
        assert list(got.iter_rows(values_only=True)) == list(expected.iter_rows(values_only=True))
    assert content_digest(ours) == content_digest(theirs)


def readable_by_openpyxl(path: Path) -> bool:
    try:
        openpyxl.load_workbook(path, data_only=True)
    except Exception:
        return False
    return True


WORKBOOKS = sorted((ROOT / "inputs").rglob("*.xlsx")) + sorted(
    p for p in CORPUS.rglob("*.xlsx") if readable_by_openpyxl(p)
)


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_sample_and_corpus_workbooks_read_the_same(path: Path) -> None:
    assert_same(path.read_bytes())


def test_written_workbooks_read_the_same(scenario) -> None:
    for path in [scenario.city_path, scenario.school_path("甲校")]:
        assert_same(path.read_bytes())


# --- a package written by hand, with every kind of cell -----------------------------

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_STYLES = f"""<styleSheet {_NS}>
<numFmts count="3"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>
<numFmt numFmtId="177" formatCode="0.0%"/><numFmt numFmtId="178" formatCode="[h]:mm:ss"/></numFmts>
<cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="176"/><xf numFmtId="177"/>
<xf numFmtId="21"/><xf numFmtId="178"/><xf numFmtId="31"/></cellXfs></styleSheet>"""
_STRINGS = f"""<sst {_NS}><si><t>学校名称</t></si>
<si><r><t>富</t></r><r><rPr><b/></rPr><t xml:space="preserve">文本 </t></r><rPh sb="0" eb="1"><t>ふ</t></rPh></si>
<si><t>a_x005F_x0007_b_x0007_</t></si><si><t/></si></sst>"""
_SHEET = f"""<worksheet {_NS}><dimension ref="A1:H9"/><cols><col min="7" max="8" width="3" hidden="1"/></cols>
<sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>
<row r="2"><c r="A2"><v>42</v></c><c r="B2"><v>4.5</v></c><c r="C2"><v>1E3</v></c><c r="D2"><v>2.0</v></c><c r="E2" s="3"><v>0.125</v></c></row>
<row r="3"><c r="A3" s="1"><v>45678</v></c><c r="B3" s="2"><v>45678.5</v></c><c r="C3" s="4"><v>0.75</v></c><c r="D3" s="5"><v>1.5</v></c><c r="E3" s="6"><v>45678</v></c><c r="F3" s="1"><v>30</v></c></row>
<row r="4" hidden="1"><c r="A4" t="b"><v>1</v></c><c r="B4" t="b"><v>0</v></c><c r="C4" t="e"><v>#N/A</v></c><c r="D4" t="str"><f>A2&amp;"x"</f><v>42x</v></c><c r="E4" t="inlineStr"><is><t>内联</t></is></c><c r="F4"><f>1/0</f></c></row>
<row r="5" hidden="true" customHeight="1" ht="3"><c r="A5" t="d"><v>2024-09-01T08:30:00</v></c><c r="B5" s="2"/><c r="G5"><v>7</v></c></row>
<row><c><v>1</v></c><c t="s"><v>0</v></c><c r="E6"><v>-3</v></c><c><v>9</v></c></row>
<row r="7"><c r="A7"><f t="shared" ref="A7:B7" si="0">A2*2</f></c><c r="B7"><f t="shared" si="0"/></c><c r="C7"><f>A2</f><v/></c></row>
<row r="8"><c r="D8"><v>5</v></c><c r="E8"><v>6</v></c><c r="F8"><v>7</v></c></row>
<row r="9"><c r="D9"><v>8</v></c></row>
</sheetData>
<mergeCells count="2"><mergeCell ref="D8:F9"/><mergeCell ref="H2"/></mergeCells></worksheet>"""


def package(sheet: str = _SHEET, *, date1904: bool = False, strings: str = _STRINGS) -> bytes:
    pr = '<workbookPr date1904="1"/>' if date1904 else ""
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook {_NS} {_R_NS}>{pr}<sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": _STYLES,
        "xl/sharedStrings.xml": strings,
        "xl/worksheets/sheet1.xml": sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in parts.items():
            z.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text)
    return out.getvalue()


def test_every_kind_of_cell_reads_the_same() -> None:
    data = package()
    assert_same(data)
    ws = Package(data).load()["数据"]
    # What the comparison covers, spelled out once.
    assert ws["B1"].value == "富文本 " and ws["C1"].value == "a_x0007_b_x0007_"
    assert (ws["A2"].value, ws["C2"].value, ws["D2"].value) == (42, 1000.0, 2.0)
    assert ws["E2"].number_format == "0.0%"
    assert ws["A3"].value == datetime(2025, 1, 21) and ws["C3"].value == time(18, 0)
    assert ws["D3"].value == timedelta(hours=36) and ws["E3"].value == 45678  # 31: no code
    assert ws["F3"].value == datetime(1900, 1, 30)
    assert (ws["A4"].value, ws["C4"].value, ws["D4"].value, ws["F4"].value) == (
        True,
        "#N/A",
        "42x",
        None,
    )
    assert ws["A5"].value == datetime(2024, 9, 1, 8, 30)
    assert [ws.cell(6, c).value for c in (1, 2, 5, 6)] == [1, "学校名称", -3, 9]
    assert ws["D8"].value == 5 and ws["E8"].value is None and ws["D9"].value is None
    assert "E9" in ws.merged_cells.ranges[0] and "G9" not in ws.merged_cells.ranges[0]
    # Formulas never calculated: their cells are empty to openpyxl, and listed here.
    assert ws.uncalculated == {"F4": "=1/0", "A7": "=A2*2", "B7": "=B2*2", "C7": "=A2"}


def test_the_1904_date_system_reads_the_same() -> None:
    data = package(date1904=True)
    assert_same(data)
    assert Package(data).load()["数据"]["A3"].value == datetime(2029, 1, 22)


def test_an_empty_sheet_reads_the_same() -> None:
    assert_same(package(f"<worksheet {_NS}><sheetData/></worksheet>"))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="未安装 LibreOffice（soffice）")
def test_workbooks_saved_by_libreoffice_read_the_same(scenario, tmp_path: Path) -> None:
    with scenario.edit("甲校") as wb:
        ws = wb["办学规模"]
        ws["H2"] = "=D2*2"  # computed by Calc, cached in the file it saves
        ws["H3"] = datetime(2024, 9, 1)
        ws["H4"] = True
        ws.merge_cells("H6:I7")
        ws.row_dimensions[9].hidden = True
    source = scenario.school_path("甲校")
    done = subprocess.run(
        ["soffice", "--headless", "--calc", "--convert-to", "xlsx", "--outdir", str(tmp_path),
         str(source)],
        capture_output=True,
        timeout=180,
    )  # fmt: skip
    saved = tmp_path / source.name
    assert done.returncode == 0 and saved.exists(), done.stderr
    assert_same(saved.read_bytes())
    ws = Package(saved.read_bytes()).load()["办学规模"]
    assert isinstance(ws["H2"].value, int | float) and ws["H3"].value == datetime(2024, 9, 1)


def test_column_letters_and_date_formats() -> None:
    for index in (1, 26, 27, 52, 702, 703, 16384):
        assert column_index(column_letter(index)) == index
    assert column_letter(28) == "AB"
    assert is_date_format('yyyy"年"m"月"d"日"') and is_date_format("[$-F800]dddd")
    assert (
        not is_date_format('0.0"天"')
        and not is_date_format("[Red]0.00")
        and not is_date_format(None)
    )

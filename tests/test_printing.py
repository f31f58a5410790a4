"""Workbooks print as usable forms: A4, one page wide, header rows repeated, page numbers."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from conftest import JIA, YEAR
from docxreport import layout as L
from docxreport.catalog import default_catalog
from docxreport.finish.pdf import find_soffice
from docxreport.workbook.printing import PORTRAIT_UNITS, sheet_width

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "inputs" / "2024"
GUIDE = "填表说明"


def page_setup_of(ws) -> dict:
    return {
        "paper": ws.page_setup.paperSize,
        "fit": ws.sheet_properties.pageSetUpPr.fitToPage,
        "wide": ws.page_setup.fitToWidth,
        "tall": ws.page_setup.fitToHeight,
        "titles": ws.print_title_rows,
        "orientation": ws.page_setup.orientation,
        "header": ws.oddHeader.center.text,
        "footer": ws.oddFooter.center.text,
    }


def assert_printable(path: Path, who: str) -> None:
    wb = openpyxl.load_workbook(path)
    assert GUIDE in wb.sheetnames or path.name == L.CITY_FILE
    for ws in wb.worksheets:
        got = page_setup_of(ws)
        assert got["paper"] in (9, "9"), ws.title  # A4
        assert got["fit"] is True and int(got["wide"]) == 1 and int(got["tall"]) == 0, ws.title
        if ws.title == GUIDE:
            assert got["titles"] is None
        else:
            assert got["titles"] == "$1:$1", ws.title
        wide = sheet_width(ws) > PORTRAIT_UNITS
        assert got["orientation"] == ("landscape" if wide else "portrait"), ws.title
        assert who in got["header"] and str(YEAR) in got["header"] and ws.title in got["header"]
        assert got["footer"] == "第 &P 页 共 &N 页"


def test_every_sheet_of_a_school_workbook_prints_one_page_wide_with_its_header_row(scenario):
    assert_printable(scenario.school_path(JIA.short), JIA.full)


def test_every_sheet_of_the_city_workbook_prints_one_page_wide_with_its_header_row(scenario):
    assert_printable(scenario.city_path, "甲省甲市")


def test_wide_indicator_sheets_print_landscape_and_the_info_sheet_portrait(real_scenario):
    wb = openpyxl.load_workbook(real_scenario.school_path(JIA.short))
    assert wb[L.INFO_SHEET].page_setup.orientation == "portrait"
    assert wb[GUIDE].page_setup.orientation == "portrait"
    assert wb["办学规模"].page_setup.orientation == "landscape"


def test_the_sample_workbooks_carry_the_page_setup() -> None:
    assert_printable(SAMPLE / L.SCHOOL_DIR / "市一职.xlsx", "临河区第一职业中等专业学校")
    assert_printable(SAMPLE / L.CITY_FILE, "巴彦淖尔市")


def test_wrapped_notes_get_rows_tall_enough_to_show_them(real_scenario):
    ws = openpyxl.load_workbook(real_scenario.school_path(JIA.short))["办学规模"]
    heights = [ws.row_dimensions[r].height for r in range(2, ws.max_row + 1)]
    assert any(h and h >= 30 for h in heights)  # a two-line note is not cut to one line


# -- printed by LibreOffice Calc ------------------------------------------------------------------


def calc_available() -> bool:
    soffice = find_soffice()
    if soffice is None:
        return False
    program = Path(soffice).resolve().parent
    return any(program.glob("*sclo.*"))  # Calc's library: libsclo.so, sclo.dll


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


@pytest.mark.skipif(not calc_available(), reason="未安装 LibreOffice Calc")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="未安装 poppler-utils")
def test_a_school_workbook_printed_by_libreoffice_shows_every_column_on_a_few_pages(tmp_path):
    book = tmp_path / "school.xlsx"
    shutil.copyfile(SAMPLE / L.SCHOOL_DIR / "市一职.xlsx", book)
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    command = [find_soffice(), profile, "--headless", "--convert-to", "pdf"]
    subprocess.run(
        [*command, "--outdir", str(tmp_path), str(book)],
        capture_output=True,
        timeout=300,
        check=False,
    )
    pdf = tmp_path / "school.pdf"
    assert pdf.is_file()
    pages = pdf_pages(pdf)
    sheets = openpyxl.load_workbook(book).sheetnames
    # One page per sheet, a second page for the longest sheets; not 37 pages of split columns.
    assert len(pages) <= len(sheets) + 3, len(pages)
    indicator_pages = [p for p in pages if "指标代码" in p]
    assert len(indicator_pages) >= len(L.school_sheets(default_catalog("自治区")))
    for page in indicator_pages:
        assert "填写说明" in page  # the last column is on the page, header repeated
        assert "临河区第一职业中等专业学校" in page
        assert re.search(r"第 \d+ 页 共 \d+ 页", page)
    majors = next(p for p in pages if "专业代码" in p)
    assert "专业调整情况" in majors

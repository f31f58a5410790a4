"""Text stays text in every workbook docxreport writes: a value that starts with = + - or @
goes in as a string and comes back through the reader (workbook/cells.py) unchanged."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from docxreport import layout as L
from docxreport.catalog import default_catalog
from docxreport.checks.progress import SchoolProgress
from docxreport.issues import error
from docxreport.model import CityData, Location, School, TeamMember
from docxreport.workbook.chartdata import template_workbook, update_chart_workbook
from docxreport.workbook.findings import Section, write_findings
from docxreport.workbook.package import Package
from docxreport.workbook.sources import write_sources
from docxreport.workbook.write import write_city, write_school

HYPERLINK = '=HYPERLINK("http://x","click")'
# Text a school may type: anything printable (no control characters, which the reader
# drops, and no "_x0041_" escapes, which Excel itself decodes), led by a formula sign.
BODY = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Co"), blacklist_characters="_"),
    min_size=1,
    max_size=40,
)
TEXT = st.builds(lambda sign, body: (sign + body).strip(), st.sampled_from("=+-@"), BODY).filter(
    lambda t: len(t) > 1
)
SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CAT = default_catalog()


def read_back(path: Path, sheet: str) -> dict[str, object]:
    """Every cell of ``sheet`` as our reader gives it, by coordinate."""
    ws = Package.read(path).load()[sheet]
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


def no_formula(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", z.read(name)), name


@SETTINGS
@given(text=TEXT)
@example(text=HYPERLINK)
def test_school_workbook_keeps_carried_text_as_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "甲校.xlsx"
    majors = [{"code": "660101", "name": text, "since": 2019}]
    cases = [{"title": text, "text": text}]
    school = School("甲校", text)
    write_school(path, CAT, school, 2025, {}, {"majors": majors, "cases": cases}, contact=text)
    no_formula(path)
    for sheet in (CAT.list("majors").sheet, CAT.list("cases").sheet, L.INFO_SHEET):
        assert text in read_back(path, sheet).values(), sheet


@SETTINGS
@given(text=TEXT)
@example(text=HYPERLINK)
def test_city_workbook_keeps_region_team_and_registry_text_as_text(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / L.CITY_FILE
    city = CityData(
        file=L.CITY_FILE,
        region=text,
        bureau=text,
        team=[TeamMember("数据采集", text, text)],
        registry=[School("甲校", text, (text,))],
    )
    write_city(path, CAT, city, 2025)
    no_formula(path)
    assert text in read_back(path, L.INFO_SHEET).values()
    assert text in read_back(path, L.TEAM_SHEET).values()
    registry = read_back(path, L.REGISTRY_SHEET)
    assert registry["C2"] == text and registry["D2"] == text


@SETTINGS
@given(text=TEXT)
@example(text=HYPERLINK)
def test_findings_keep_the_cell_content_and_message_as_text(tmp_path: Path, text: str) -> None:
    loc = Location("学校/甲校.xlsx", "办学规模", "E5")
    issue = error(loc, text, text)
    progress = SchoolProgress(School("甲校", "甲校全称"), "学校/甲校.xlsx", "已填写")
    path = tmp_path / "检查结果.xlsx"
    write_findings(path, [Section("甲校", [issue], progress)], {loc: text}, tmp_path)
    no_formula(path)
    row = read_back(path, "甲校")
    assert row["E2"] == text and row["F2"] == text and row["G2"] == text


@SETTINGS
@given(text=TEXT)
@example(text=HYPERLINK)
def test_data_source_listing_keeps_text_as_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "数据来源.xlsx"
    write_sources(path, [(text, text, text, text, text, text)])
    no_formula(path)
    assert set(read_back(path, "数据来源").values()) >= {text}


@SETTINGS
@given(text=TEXT)
@example(text=HYPERLINK)
def test_chart_workbook_keeps_category_and_series_names_as_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "chart.xlsx"
    path.write_bytes(update_chart_workbook(template_workbook(), [text], [(text, [1.0])]))
    no_formula(path)
    cells = read_back(path, Package.read(path).worksheets[0])
    assert cells["A2"] == text and cells["B1"] == text


@pytest.mark.parametrize("value", ["=1+1", "+86 0478", "-", "-5 人", "@校团委"])
def test_formula_signs_are_quote_prefixed_for_excel(tmp_path: Path, value: str) -> None:
    """Excel keeps a quote-prefixed cell as text even when staff retype it."""
    import openpyxl

    path = tmp_path / "甲校.xlsx"
    majors = [{"code": "660101", "name": value}]
    write_school(path, CAT, School("甲校", "甲校全称"), 2025, {}, {"majors": majors})
    ws = openpyxl.load_workbook(path)[CAT.list("majors").sheet]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == value)
    assert cell.data_type == "s" and cell.quotePrefix

"""Messages that say exactly what a school sent: an old .xls is not "renamed", an .ods is not
ignored, every renamed sheet is listed, and the findings show the text a number cell holds."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from conftest import JIA, Scenario, find
from docxreport import layout as L
from docxreport.checks.progress import school_progress
from docxreport.workbook import guard
from docxreport.workbook.findings import cell_contents, sections_of, write_findings

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def replace_school_file(scenario: Scenario, name: str, data: bytes) -> str:
    scenario.school_path(JIA.short).unlink()
    (scenario.folder / L.SCHOOL_DIR / name).write_bytes(data)
    return f"{L.SCHOOL_DIR}/{name}"


def test_a_genuine_xls_is_called_an_old_workbook_not_a_renamed_one(scenario: Scenario) -> None:
    rel = replace_school_file(scenario, f"{JIA.short}.xls", OLE)
    issue = find(scenario.report(), rel, "旧版 Excel 工作簿（.xls）")
    assert "改了扩展名" not in issue.message


def test_an_xls_renamed_xlsx_is_still_called_renamed(scenario: Scenario) -> None:
    rel = replace_school_file(scenario, f"{JIA.short}.xlsx", OLE)
    find(scenario.report(), rel, "改了扩展名")


def test_an_ods_in_the_schools_folder_is_named_not_ignored(scenario: Scenario) -> None:
    ods = scenario.folder / "tmp.ods"
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    rel = replace_school_file(scenario, f"{JIA.short}.ods", ods.read_bytes())
    issue = find(scenario.report(), rel, "OpenDocument 表格（.ods")
    assert issue.message == guard.ODS
    assert not any("缺少" in i.message and JIA.full in i.message for i in scenario.report())


def test_every_renamed_sheet_is_listed(scenario: Scenario) -> None:
    with scenario.edit(JIA.short) as wb:
        sheets = [ws for ws in wb.worksheets if ws.title not in (L.INFO_SHEET, "填表说明")][:4]
        for n, ws in enumerate(sheets, start=1):
            ws.title = f"表{n}"
    report = scenario.report()
    rel = f"{L.SCHOOL_DIR}/{JIA.filename}"
    missing = [i for i in report if i.loc.file == rel and "缺少工作表" in i.message]
    assert len(missing) == 4
    for issue in missing:
        assert all(f"“表{n}”" in issue.message for n in range(1, 5)), issue.message


def test_the_findings_show_the_text_a_number_cell_holds(scenario: Scenario, tmp_path: Path):
    sheet, row = L.indicator_cells(scenario.cat)["students"]
    cell = f"{L.PERIOD_COL['curr']}{row}"
    scenario.set(JIA.short, sheet, cell, "一千二百")
    loaded = scenario.load()
    out = tmp_path / "检查结果.xlsx"
    progress = school_progress(
        loaded.city.registry, loaded.files, loaded.schools, loaded.report, scenario.cat
    )
    sections = sections_of(progress, list(loaded.report))
    write_findings(out, sections, cell_contents([*loaded.schools, loaded.city]), scenario.folder)
    ws = openpyxl.load_workbook(out)[JIA.short]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    [found] = [r for r in rows if r[3] == cell and r[2] == sheet]
    assert found[5] == "一千二百"

"""refresh under the edits compiling groups really make: copies, headers, tables, tracked text.

Each scenario edits the built sample city report as staff would (python-docx, or a
LibreOffice round trip), corrects 市一职's 在校生 (2955 → 3055, so the city's 9060 →
9160) and checks both the document after refresh and what refresh printed.
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

import test_refresh as base
from docxreport.finish.pdf import find_soffice
from docxreport.render.marks import END, PREFIX, SEP, START
from ooxml_gate import assert_valid_ooxml
from test_refresh import CITY, PROSE, correct_students, refresh, run

ROOT = Path(__file__).resolve().parents[1]
built, year = base.built, base.year  # the sample built once, and a private copy per test
needs_soffice = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")


def city_of(root: Path) -> Path:
    return root / "out" / "2024" / CITY


def prose(doc):
    return next(p for p in doc.paragraphs if p.text.startswith(PROSE))


def duplicate_prose(path: Path, unbind: bool = False) -> None:
    """Copy the 在校生 paragraph to the end of its chapter's next paragraph, as a paste
    would; ``unbind`` drops the copy's bookmarks, as Word does."""
    doc = docx.Document(str(path))
    p = prose(doc)._p
    twin = copy.deepcopy(p)
    if unbind:
        for b in list(twin.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd"))):
            twin.remove(b)
    p.getnext().addnext(twin)
    doc.save(str(path))


def _soffice_convert(path: Path, tmp: Path, target: str, out: Path) -> Path:
    """``path`` converted by LibreOffice (a profile of its own under ``tmp``) into ``out``."""
    subprocess.run(
        [
            find_soffice(),
            f"-env:UserInstallation=file://{tmp / 'profile'}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return out / path.with_suffix("." + target.split(":")[0]).name


def resave_with_libreoffice(path: Path, tmp: Path) -> None:
    shutil.copy(_soffice_convert(path, tmp, "docx:MS Word 2007 XML", tmp / "lo"), path)


def pdf_text(path: Path, tmp: Path) -> str:
    """The text of ``path`` as LibreOffice prints it (pdftotext of its PDF)."""
    pdf = _soffice_convert(path, tmp, "pdf", tmp / "pdf")
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def prose_texts(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.startswith(PROSE)]


# -- copies --------------------------------------------------------------------------------------


def test_a_duplicated_paragraph_is_updated_in_both_places_and_the_copy_is_named(year: Path):
    city = city_of(year)
    duplicate_prose(city)
    assert all("9060" in t for t in prose_texts(city)) and len(prose_texts(city)) == 2
    correct_students(year)
    result = refresh(year, city)
    assert result.exit_code == 3, result.output
    after = prose_texts(city)
    assert len(after) == 2 and all("9160" in t and "9060" not in t for t in after), after
    assert "1.10 培养规模 › “全市中等职业学校共有教职工 14…”（复制的数字）：9060 → 9160" in (
        result.output
    )
    assert_valid_ooxml(city)


@needs_soffice
def test_a_copy_libreoffice_renamed_copy_n_is_updated_too(year: Path, tmp_path: Path):
    city = city_of(year)
    duplicate_prose(city)
    resave_with_libreoffice(city, tmp_path)
    with zipfile.ZipFile(city) as package:
        assert b"_Copy_" in package.read("word/document.xml")  # LibreOffice renamed the copy
    correct_students(year)
    result = refresh(year, city)
    assert result.exit_code == 3, result.output
    after = prose_texts(city)
    assert len(after) == 2 and all("9160" in t and "9060" not in t for t in after), after
    assert "（复制的数字）：9060 → 9160" in result.output


def test_a_copy_word_left_unbound_is_listed_with_its_place_not_changed(year: Path):
    city = city_of(year)
    duplicate_prose(city, unbind=True)
    correct_students(year)
    result = refresh(year, city)
    assert result.exit_code == 3, result.output
    first, second = prose_texts(city)
    assert "9160" in first and "9060" in second  # the unbound copy is the staff's to mend
    assert (
        "全市报告 › 1.10 培养规模 › “全市中等职业学校共有教职工 14…”："
        "复制的数字“9060”未关联数据，仍为旧值（数据现为 9160），请核对"
    ) in result.output
    assert "处复制的数字仍为旧值" in result.output.splitlines()[-1]


def test_a_retyped_copy_is_listed_as_no_longer_linked(year: Path):
    city = city_of(year)
    duplicate_prose(city)
    doc = docx.Document(str(city))
    twin = [p for p in doc.paragraphs if p.text.startswith(PROSE)][1]
    for t in twin._p.iter(qn("w:t")):
        if t.text == "9060":
            t.text = "9,060"
    doc.save(str(city))
    correct_students(year)
    result = refresh(year, city)
    first, second = prose_texts(city)
    assert "9160" in first and "9,060" in second
    assert "（复制的数字）：已改写为“9,060”（生成时为“9060”），不再关联数据，未改动" in (
        result.output
    )


# -- headers and footers -------------------------------------------------------------------------

HEADER = '{{ region.name }}中职质量报告（{{ year }}）在校生{{ v("students") }}人'


@pytest.fixture
def headed(tmp_path: Path) -> Path:
    """The sample built with a template whose header prints the region, the year and a figure."""
    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    tpl = tmp_path / "templates" / "city.docx"
    doc = docx.Document(str(tpl))
    header = doc.sections[0].header
    header.is_linked_to_previous = False
    header.paragraphs[0].text = HEADER
    doc.save(str(tpl))
    result = run(
        "build",
        "--inputs",
        str(tmp_path / "inputs"),
        "--templates",
        str(tmp_path / "templates"),
        "--out",
        str(tmp_path / "out"),
        "--no-page-numbers",
        "--city-only",
    )
    assert result.exit_code == 0, result.output
    return tmp_path


def header_text(path: Path) -> list[str]:
    doc = docx.Document(str(path))
    return [doc.sections[0].header.paragraphs[0].text]


def no_mark_characters(path: Path) -> None:
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            blob = package.read(name)
            assert not any(c.encode() in blob for c in (START, SEP, END)), name


def test_a_header_prints_its_figures_cleanly_and_marked(headed: Path):
    city = city_of(headed)
    assert header_text(city) == ["巴彦淖尔市中职质量报告（2024）在校生9060人"]
    no_mark_characters(city)
    with zipfile.ZipFile(city) as package:
        header = package.read("word/header1.xml").decode()
    assert header.count(f'w:name="{PREFIX}') == 3


@needs_soffice
def test_a_header_reads_cleanly_in_libreoffice_and_refreshes_after_its_round_trip(
    headed: Path, tmp_path: Path
):
    city = city_of(headed)
    text = pdf_text(city, tmp_path)
    assert "巴彦淖尔市中职质量报告（2024）在校生9060人" in "".join(text.split())
    assert not any(c in text for c in (START, SEP, END))
    resave_with_libreoffice(city, tmp_path)  # LibreOffice repeats the header per section
    correct_students(headed)
    result = refresh(headed, city)
    assert result.exit_code == 3, result.output
    doc = docx.Document(str(city))
    headers = {p.text for s in doc.sections for p in s.header.paragraphs if p.text}
    assert headers == {"巴彦淖尔市中职质量报告（2024）在校生9160人"}
    assert "页眉" in result.output and "9060 → 9160" in result.output


def test_a_figure_in_the_header_is_refreshed_with_the_rest(headed: Path):
    city = city_of(headed)
    correct_students(headed)
    result = refresh(headed, city)
    assert result.exit_code == 3, result.output
    assert header_text(city) == ["巴彦淖尔市中职质量报告（2024）在校生9160人"]
    assert "全市报告 › 第 1 节页眉：9060 → 9160" in result.output
    no_mark_characters(city)
    assert_valid_ooxml(city)


# -- tables --------------------------------------------------------------------------------------


def table_1_5(doc):
    return next(t for t in doc.tables if t.cell(0, 0).text == "学校" and len(t.rows) > 5)


def rows_of(path: Path) -> list[list[str]]:
    table = table_1_5(docx.Document(str(path)))
    return [[c.text for c in r.cells] for r in table.rows]


def edit_table(path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    doc = docx.Document(str(path))
    edit(table_1_5(doc))
    doc.save(str(path))


def delete_row(first_cell: str):  # type: ignore[no-untyped-def]
    def edit(table) -> None:  # type: ignore[no-untyped-def]
        row = next(r for r in table.rows if r.cells[0].text == first_cell)
        row._tr.getparent().remove(row._tr)

    return edit


def test_a_hand_edited_cell_is_kept_and_listed_with_its_row_and_column(year: Path):
    city = city_of(year)

    def retype(table) -> None:  # type: ignore[no-untyped-def]
        row = next(r for r in table.rows if r.cells[0].text == "市一职")
        row.cells[5].paragraphs[0].runs[0].text = "2960"

    edit_table(city, retype)
    correct_students(year)
    result = refresh(year, city)
    assert result.exit_code == 3, result.output
    rows = {r[0]: r for r in rows_of(city)}
    assert rows["市一职"][5] == "2960" and rows["总计"][5] == "9160"
    assert (
        "全市报告 › 1.10 培养规模 › 表格（表1-5） “市一职”行“在校生 2024 年”列："
        "已改写为“2960”（生成时为“2955”），不再关联数据，未改动"
    ) in result.output
    assert "“总计”行“在校生 2024 年”列：9060 → 9160" in result.output
    assert "重建" not in result.output
    assert_valid_ooxml(city)


@pytest.mark.parametrize("row", ["市职校", "总计"])
def test_a_deleted_row_stays_deleted_and_the_other_cells_still_update(year: Path, row: str):
    city = city_of(year)
    edit_table(city, delete_row(row))
    before = rows_of(city)
    correct_students(year)
    result = refresh(year, city)
    assert result.exit_code == 3, result.output
    after = rows_of(city)
    assert len(after) == len(before) and row not in [r[0] for r in after]
    assert {r[0]: r for r in after}["市一职"][5] == "3055"
    assert "表格（表1-5） “市一职”行“在校生 2024 年”列：2955 → 3055" in result.output
    assert "重建" not in result.output and "不再关联" not in result.output.split("完成")[0]
    again = refresh(year, city)  # nothing changed: the deletion is not "a new shape"
    assert again.exit_code == 0 and "重建" not in again.output, again.output


def test_a_shaded_header_row_keeps_its_shading(year: Path):
    city = city_of(year)

    def shade(table) -> None:  # type: ignore[no-untyped-def]
        for cell in table.rows[0].cells:
            pr = cell._tc.get_or_add_tcPr()
            shd = pr.makeelement(qn("w:shd"), {qn("w:val"): "clear", qn("w:fill"): "FFFF00"})
            pr.append(shd)

    edit_table(city, shade)
    correct_students(year)
    result = refresh(year, city)
    assert result.exit_code == 3, result.output
    table = table_1_5(docx.Document(str(city)))
    fills = {s.get(qn("w:fill")) for s in table.rows[0]._tr.iter(qn("w:shd"))}
    assert fills == {"FFFF00"}
    assert {r[0]: r for r in rows_of(city)}["市一职"][5] == "3055"


def test_a_deleted_table_is_named_by_its_number(year: Path):
    city = city_of(year)
    edit_table(city, lambda table: table._tbl.getparent().remove(table._tbl))
    correct_students(year)
    result = refresh(year, city)
    assert "全市报告 › 培养规模 › 表格（表1-5）：已删除，不再关联数据，未改动" in result.output


# -- the smaller things --------------------------------------------------------------------------


def test_the_backup_line_is_printed_once_the_backup_exists(year: Path):
    city = city_of(year)
    correct_students(year)
    result = refresh(year, city)
    backups = list(city.parent.glob("*.备份-*.docx"))
    assert len(backups) == 1
    assert f"已更新 {city}（原文件备份为 {backups[0].name}）" in result.output


def test_a_retyped_figure_beside_updated_ones_says_its_sentence_now_mixes_old_and_new(year: Path):
    city = city_of(year)
    doc = docx.Document(str(city))
    for t in prose(doc)._p.iter(qn("w:t")):
        if t.text == "9060":
            t.text = "9,060"
    doc.save(str(city))
    correct_students(year)
    result = refresh(year, city)
    text = prose(docx.Document(str(city))).text
    assert "9,060" in text and "9.41" in text  # the sentence's change was updated beside it
    line = next(ln for ln in result.output.splitlines() if "已改写为“9,060”" in ln)
    assert line.endswith("这句话现在新旧数字混杂，请核对")
    assert "1 句新旧数字混杂" in result.output.splitlines()[-1]


def test_dump_reads_a_tracked_replacement_as_accepted(tmp_path: Path):
    from docxreport.dump import blocks

    doc = docx.Document()
    p = doc.add_paragraph("在校生 ")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    p._p.append(
        etree.fromstring(
            f'<w:del xmlns:w="{w}" w:id="1" w:author="编制组" w:date="2025-01-01T00:00:00Z">'
            "<w:r><w:delText>9060</w:delText></w:r></w:del>"
        )
    )
    p._p.append(
        etree.fromstring(
            f'<w:ins xmlns:w="{w}" w:id="2" w:author="编制组" w:date="2025-01-01T00:00:00Z">'
            "<w:r><w:t>9070</w:t></w:r></w:ins>"
        )
    )
    p.add_run(" 人")
    doc.save(str(tmp_path / "t.docx"))
    assert list(blocks(tmp_path / "t.docx")) == ["[Normal] 在校生 9070 人"]


def test_a_deleted_column_stays_deleted_and_the_other_columns_still_update(year: Path):
    city = city_of(year)

    def drop_staff_column(table) -> None:  # type: ignore[no-untyped-def]
        grid = table._tbl.find(qn("w:tblGrid"))
        grid.remove(grid.findall(qn("w:gridCol"))[1])
        for tr in table._tbl.findall(qn("w:tr")):
            tr.remove(tr.findall(qn("w:tc"))[1])  # 教职工数, merged over both header rows

    edit_table(city, drop_staff_column)
    correct_students(year)
    result = refresh(year, city)
    assert result.exit_code == 3, result.output
    rows = rows_of(city)
    assert "教职工数" not in rows[0] and len(rows[2]) == 7
    assert {r[0]: r for r in rows}["市一职"][4] == "3055"
    assert "表格（表1-5） “市一职”行“在校生 2024 年”列：2955 → 3055" in result.output
    assert "重建" not in result.output


@needs_soffice
def test_table_edits_hold_after_a_libreoffice_save(year: Path, tmp_path: Path):
    city = city_of(year)

    def edit(table) -> None:  # type: ignore[no-untyped-def]
        row = next(r for r in table.rows if r.cells[0].text == "市职校")
        row.cells[5].paragraphs[0].runs[0].text = "800"  # staff's figure
        total = next(r for r in table.rows if r.cells[0].text == "总计")
        total._tr.getparent().remove(total._tr)

    edit_table(city, edit)
    resave_with_libreoffice(city, tmp_path)
    correct_students(year)
    result = refresh(year, city)
    assert result.exit_code == 3, result.output
    rows = {r[0]: r for r in rows_of(city)}
    assert rows["市职校"][5] == "800" and rows["市一职"][5] == "3055" and "总计" not in rows
    assert "“市职校”行“在校生 2024 年”列：已改写为“800”（生成时为“793”）" in result.output
    assert "重建" not in result.output


def test_a_table_copied_with_its_bookmark_is_updated_too(year: Path):
    city = city_of(year)

    def duplicate(table) -> None:  # type: ignore[no-untyped-def]
        table._tbl.addnext(copy.deepcopy(table._tbl))

    edit_table(city, duplicate)
    correct_students(year)
    result = refresh(year, city)
    assert result.exit_code == 3, result.output
    doc = docx.Document(str(city))
    head = [c.text for c in table_1_5(doc).rows[0].cells]
    tables = [t for t in doc.tables if [c.text for c in t.rows[0].cells] == head]
    assert len(tables) == 2
    for table in tables:
        assert {r.cells[0].text: r.cells[5].text for r in table.rows}["市一职"] == "3055"
    assert "表格（表1-5）（复制的表格） “市一职”行“在校生 2024 年”列：2955 → 3055" in result.output


def test_a_chart_copied_with_its_bookmark_is_refreshed_too(year: Path):
    from docxreport.render.chartpatch import chart_values

    city = city_of(year)
    doc = docx.Document(str(city))
    chart_p = next(p for p in doc.paragraphs if next(p._p.iter("{*}chart"), None) is not None)
    chart_p._p.addnext(copy.deepcopy(chart_p._p))  # same chart part: python-docx's copy
    doc.save(str(city))
    correct_students(year)
    result = refresh(year, city)
    assert result.exit_code == 3, result.output
    assert "（复制的图表）" not in result.output  # the same chart part: already up to date
    with zipfile.ZipFile(city) as package:
        charts = [n for n in package.namelist() if n.startswith("word/charts/chart")]
        values = [chart_values(package.read(n)) for n in charts]
    assert any(3055.0 in v for _, series in values for _, v in series)

"""refresh --track: data updates as tracked changes (修订) and comments, and what review does.

The built sample city report is refreshed with --track after 市一职's 在校生 is corrected
(2955 → 3055, the city's 9060 → 9160). Word's 接受所有修订 and 拒绝所有修订 are done on the
XML as Word does them (:func:`accept_all`, :func:`reject_all`), and LibreOffice saves a
report with its changes still pending.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

import test_refresh as base
from docxreport.dump import blocks
from docxreport.render.revisions import AUTHOR, accept_all, reject_all
from ooxml_gate import assert_valid_ooxml
from test_refresh import CITY, PROSE, correct_students, run
from test_refresh_edits import needs_soffice, pdf_text, resave_with_libreoffice

built, year = base.built, base.year


def refresh(root: Path, *args: str):
    city = root / "out" / "2024" / CITY
    return run(
        "refresh",
        str(city),
        "--inputs",
        str(root / "inputs"),
        "--out",
        str(root / "out"),
        "--no-page-numbers",
        *args,
    )


def document(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("word/document.xml"))


def transform(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    """Apply ``change`` to the document part, as Word's accept/reject all does."""
    with zipfile.ZipFile(path) as package:
        parts = {i: package.read(i.filename) for i in package.infolist()}
    for info in parts:
        if info.filename == "word/document.xml":
            root = etree.fromstring(parts[info])
            change(root)
            parts[info] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info, blob in parts.items():
            package.writestr(info, blob)


def prose_line(path: Path) -> str:
    return next(line for line in blocks(path) if PROSE in line)


def correct_again(root: Path, value: int) -> None:
    import openpyxl

    book = root / "inputs" / "2024" / "学校" / "市一职.xlsx"
    wb = openpyxl.load_workbook(book)
    wb["办学规模"]["E4"] = value
    wb.save(book)


def test_changes_are_tracked_by_docxreport_with_a_date_and_charts_get_comments(year: Path):
    city = year / "out" / "2024" / CITY
    correct_students(year)
    result = refresh(year, "--track")
    assert result.exit_code == 3, result.output
    assert "1.10 培养规模 › “全市中等职业学校共有教职工 14…”：9060 → 9160" in result.output
    root = document(city)
    deleted = [d for d in root.iter(qn("w:del")) if d.get(qn("w:author")) == AUTHOR]
    inserted = [i for i in root.iter(qn("w:ins")) if i.get(qn("w:author")) == AUTHOR]
    assert deleted and len(deleted) == len(inserted)
    for el in deleted + inserted:
        assert el.get(qn("w:id")).isdigit() and len(el.get(qn("w:date"))) == 19
    old = {"".join(t.text for t in d.iter(qn("w:delText"))) for d in deleted}
    new = {"".join(t.text for t in i.iter(qn("w:t"))) for i in inserted}
    assert {"9060", "2955", "10.40"} <= old and {"9160", "3055", "9.41"} <= new
    assert not [t for d in deleted for t in d.iter(qn("w:t"))]  # deleted text: w:delText only
    bookmark_ids = {b.get(qn("w:id")) for b in root.iter(qn("w:bookmarkStart"))}
    revision_ids = [el.get(qn("w:id")) for el in deleted + inserted]
    assert not bookmark_ids & set(revision_ids) and len(set(revision_ids)) == len(revision_ids)
    assert "在校生 9160 人" in prose_line(city)  # read as accepted
    comments = docx.Document(str(city)).comments
    texts = [c.text for c in comments]
    assert all(c.author == AUTHOR for c in comments)
    assert sum("图表不能显示修订" in t for t in texts) == 2  # the two charts of 在校生
    assert any("全日制在校生人数 2024 年：9060 → 9160" in t for t in texts)
    summary = next(t for t in texts if "按工作簿的最新数据更新本报告" in t)
    assert "1.10 培养规模" in summary and "9060 → 9160" in summary
    assert_valid_ooxml(city)  # revisions and comments as Word wants them


def test_accepted_changes_leave_the_figures_bound_and_the_next_refresh_works(year: Path):
    city = year / "out" / "2024" / CITY
    correct_students(year)
    assert refresh(year, "--track").exit_code == 3
    transform(city, accept_all)
    assert not list(document(city).iter(qn("w:ins")))
    correct_again(year, 3155)
    result = refresh(year, "--track")
    assert result.exit_code == 3, result.output
    assert "不再关联" not in result.output.split("完成")[0]
    assert "9160 → 9260" in result.output
    assert "在校生 9260 人" in prose_line(city)


def test_rejected_changes_keep_the_old_figure_as_the_staffs_choice(year: Path):
    city = year / "out" / "2024" / CITY
    correct_students(year)
    assert refresh(year, "--track").exit_code == 3
    transform(city, reject_all)
    assert "在校生 9060 人" in prose_line(city)
    correct_again(year, 3155)
    result = refresh(year, "--track")
    assert "数据更新的修订被拒绝，保留“9060”（生成时为“9160”），不再关联数据，未改动" in (
        result.output
    )
    assert "在校生 9060 人" in prose_line(city)  # never overwritten


def test_a_second_refresh_before_review_updates_the_pending_change(year: Path):
    city = year / "out" / "2024" / CITY
    correct_students(year)
    assert refresh(year, "--track").exit_code == 3
    correct_again(year, 3155)
    result = refresh(year, "--track")
    assert "9160 → 9260" in result.output
    root = document(city)
    p = next(p for p in root.iter(qn("w:p")) if PROSE in "".join(p.itertext()))
    assert [t.text for d in p.iter(qn("w:del")) for t in d.iter(qn("w:delText"))][:1] == ["9060"]
    assert "9260" in [t.text for i in p.iter(qn("w:ins")) for t in i.iter(qn("w:t"))]
    transform(city, reject_all)  # rejecting brings back what was printed before review
    assert "在校生 9060 人" in prose_line(city)


@needs_soffice
def test_libreoffice_shows_the_changes_and_keeps_them_pending_through_a_save(
    year: Path, tmp_path: Path
):
    city = year / "out" / "2024" / CITY
    correct_students(year)
    assert refresh(year, "--track").exit_code == 3
    text = pdf_text(city, tmp_path)
    assert "在校生 90609160 人" in text  # old (struck out) and new (underlined) side by side
    resave_with_libreoffice(city, tmp_path)
    authors = {i.get(qn("w:author")) for i in document(city).iter(qn("w:ins"))}
    assert AUTHOR in authors
    correct_again(year, 3155)
    result = refresh(year, "--track")
    assert result.exit_code == 3, result.output
    assert "9160 → 9260" in result.output
    transform(city, accept_all)
    assert "在校生 9260 人" in prose_line(city)


def test_without_track_the_figures_are_overwritten_as_before(year: Path):
    city = year / "out" / "2024" / CITY
    correct_students(year)
    assert refresh(year).exit_code == 3
    assert not list(document(city).iter(qn("w:ins")))
    with zipfile.ZipFile(city) as package:
        assert "word/comments.xml" not in package.namelist()


@pytest.mark.parametrize("change", [accept_all, reject_all])
def test_review_transforms_leave_no_revision_of_ours(year: Path, change):  # type: ignore[no-untyped-def]
    city = year / "out" / "2024" / CITY
    correct_students(year)
    assert refresh(year, "--track").exit_code == 3
    transform(city, change)
    root = document(city)
    assert not [e for e in root.iter(qn("w:ins"), qn("w:del")) if e.get(qn("w:author")) == AUTHOR]
    docx.Document(str(city))  # still a readable document

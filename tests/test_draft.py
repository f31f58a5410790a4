"""``build --draft``: reports from what is there, with 【待补】 where a school is still missing."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from docxreport import layout as L
from docxreport.catalog import default_catalog
from docxreport.cli import main
from docxreport.dump import blocks
from docxreport.load import load_year
from docxreport.model import PENDING
from docxreport.render.draft import DRAFT_MARK

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "inputs" / "2024"
CITY_REPORT = "巴彦淖尔市中等职业教育质量年度报告（2024）.docx"


def run(*args: str) -> object:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def without_one_school(tmp_path_factory) -> Path:
    """The sample with 市艺校's workbook not yet returned."""
    inputs = tmp_path_factory.mktemp("draft") / "inputs"
    shutil.copytree(SAMPLE, inputs / "2024")
    (inputs / "2024" / L.SCHOOL_DIR / "市艺校.xlsx").unlink()
    return inputs


@pytest.fixture(scope="module")
def draft(without_one_school, tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("out")
    result = run(
        "build",
        "--draft",
        "--city-only",
        "--no-page-numbers",
        "--inputs",
        str(without_one_school),
        "--templates",
        str(ROOT / "templates"),
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    return out / "2024", result.output


def rows(text: str, first: str) -> list[list[str]]:
    return [
        [c.strip() for c in line.split("|")]
        for line in text.splitlines()
        if line.strip().startswith(first + " |")
    ]


def test_final_build_refuses_while_a_school_is_missing(without_one_school, tmp_path):
    result = run(
        "build",
        "--no-page-numbers",
        "--inputs",
        str(without_one_school),
        "--templates",
        str(ROOT / "templates"),
        "--out",
        str(tmp_path / "out"),
    )
    assert result.exit_code == 1
    assert "缺少“巴彦淖尔市艺术学校”的工作簿" in result.output
    assert not (tmp_path / "out").exists()


def test_draft_prints_the_marker_in_the_schools_cells_and_in_totals(draft):
    year_dir, _output = draft
    text = "\n".join(blocks(year_dir / CITY_REPORT))
    # 表1-5: the missing school's row and the 总计 row wait; the others print their figures
    [art] = [r for r in rows(text, "市艺校") if len(r) == 8][:1]
    assert art[1:] == [PENDING] * 7
    [total] = rows(text, "总计")
    assert total[1:] == [PENDING] * 7
    [shi_yi] = [r for r in rows(text, "市一职") if len(r) == 8][:1]
    assert PENDING not in shi_yi
    # a sentence built on a total waits too, never a partial sum
    assert f"共有教职工 {PENDING} 人" in text
    assert "1467" not in text.split("共有教职工")[1][:20]


def test_draft_has_the_mark_in_every_sections_header(draft):
    year_dir, _output = draft
    doc = Document(str(year_dir / CITY_REPORT))
    for i, section in enumerate(doc.sections):
        header = section.header
        if i and header.is_linked_to_previous:
            continue  # shows the previous section's header
        assert header.paragraphs[0].text == DRAFT_MARK


def test_draft_summary_lists_what_is_missing(draft):
    _year_dir, output = draft
    assert "征求意见稿：以下 1 所学校的数据印为【待补】" in output
    assert "市艺校（巴彦淖尔市艺术学校）：未交工作簿" in output
    assert "完成：生成征求意见稿全市报告 1 份" in output


def test_data_source_listing_holds_no_marker(draft):
    year_dir, _output = draft
    ws = openpyxl.load_workbook(year_dir / "数据来源.xlsx").active
    cells = [str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert cells and not [c for c in cells if PENDING in c]


def test_an_erroneous_school_waits_like_a_missing_one(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE, inputs / "2024")
    cat = default_catalog("自治区")
    sheet, row = L.indicator_cells(cat)["staff"]
    path = inputs / "2024" / L.SCHOOL_DIR / "市体校.xlsx"
    wb = openpyxl.load_workbook(path)
    wb[sheet][f"{L.CURR_COL}{row}"].value = "一百"
    wb.save(path)
    assert load_year(inputs, 2024, cat).data is None
    loaded = load_year(inputs, 2024, cat, draft=True)
    assert [s.short for s in loaded.pending] == ["市体校"]
    data = loaded.data
    assert data.figure("staff", "curr", "市体校").value == PENDING
    assert data.figure("staff", "curr").value == PENDING
    assert data.figure("students", "prev").value == 10112  # last year's, as published
    assert data.figure("staff", "curr", "市一职").value != PENDING


def test_a_city_workbook_error_stops_even_a_draft(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE, inputs / "2024")
    (inputs / "2024" / L.CITY_FILE).unlink()
    assert load_year(inputs, 2024, default_catalog("自治区"), draft=True).data is None

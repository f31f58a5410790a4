"""refresh: staff edit the wording in Word, a school corrects a figure, refresh binds them.

The sample's city report and 市一职's report are built once; each test copies them, edits
the city report as staff would (with python-docx, or through a LibreOffice round trip),
changes 市一职's 在校生 from 2955 to 3055 and runs ``docxreport refresh``.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from lxml import etree

from docxreport.catalog import default_catalog
from docxreport.cli import main
from docxreport.finish.pdf import find_soffice
from docxreport.render.marks import PREFIX

ROOT = Path(__file__).resolve().parents[1]
CITY = "巴彦淖尔市中等职业教育质量年度报告（2024）.docx"
SCHOOL = "学校/临河区第一职业中等专业学校质量年度报告（2024）.docx"
PROSE = "全市中等职业学校共有教职工"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("refresh")
    shutil.copytree(ROOT / "inputs", root / "inputs")
    result = run(
        "build",
        "--inputs",
        str(root / "inputs"),
        "--templates",
        str(ROOT / "templates"),
        "--out",
        str(root / "out"),
        "--no-page-numbers",
        "--school",
        "市一职",
    )
    assert result.exit_code == 0, result.output
    result = run(
        "build",
        "--inputs",
        str(root / "inputs"),
        "--templates",
        str(ROOT / "templates"),
        "--out",
        str(root / "out"),
        "--no-page-numbers",
        "--city-only",
    )
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def year(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built sample; returns the root holding inputs/ and out/."""
    shutil.copytree(built / "inputs", tmp_path / "inputs")
    shutil.copytree(built / "out", tmp_path / "out")
    return tmp_path


def correct_students(root: Path, value: int = 3055) -> None:
    book = root / "inputs" / "2024" / "学校" / "市一职.xlsx"
    wb = openpyxl.load_workbook(book)
    assert wb["办学规模"]["E4"].value == 2955  # 市一职's 在校生 as published
    wb["办学规模"]["E4"] = value
    wb.save(book)


def refresh(root: Path, *reports: Path):
    return run(
        "refresh",
        *map(str, reports),
        "--inputs",
        str(root / "inputs"),
        "--out",
        str(root / "out"),
        "--no-page-numbers",
    )


def paragraph(doc, start: str):
    return next(p for p in doc.paragraphs if p.text.startswith(start))


def edit_as_staff(path: Path) -> dict[str, str]:
    """Reword three paragraphs, delete one, add one, bold a table header, add a comment."""
    doc = docx.Document(str(path))
    prose = paragraph(doc, PROSE)
    prose.runs[0].text = "截至本学年末，全市中等职业学校共有教职工 "  # next to a figure
    body = [p for p in doc.paragraphs if p.style.name == "Normal" and len(p.text) > 40]
    reworded = []
    for p in [x for x in body if "_dr" not in x._p.xml][:2]:
        p.runs[0].text = "【编制组改写】" + p.runs[0].text
        reworded.append(p.text)
    gone = [x for x in body if "_dr" not in x._p.xml and x.text not in reworded][3]
    gone_text = gone.text
    gone._p.getparent().remove(gone._p)
    added = prose.insert_paragraph_before("编制组新增：本年度数据经各校负责人签字确认。")
    table = next(t for t in doc.tables if t.cell(0, 0).text == "学校" and len(t.rows) > 5)
    for run_ in table.rows[0].cells[1].paragraphs[0].runs:
        run_.bold = True
    doc.add_comment(added.runs, text="请核对口径", author="编制组", initials="BZ")
    doc.save(str(path))
    return {"reworded": reworded[0], "gone": gone_text, "added": added.text}


def texts(path: Path) -> list[str]:
    doc = docx.Document(str(path))
    return [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for c in t._cells]


def without_marked(path: Path) -> bytes:
    """document.xml in canonical form, with the runs inside our bookmarks and the texts
    of marked tables taken out: everything refresh must leave as it was."""
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    ends = {e.get(qn("w:id")): e for e in root.iter(qn("w:bookmarkEnd"))}
    for start in list(root.iter(qn("w:bookmarkStart"))):
        if not start.get(qn("w:name"), "").startswith(PREFIX):
            continue
        table = next(start.iterancestors(qn("w:tbl")), None)
        if table is not None:
            for t in table.iter(qn("w:t")):
                t.text = ""
        node, end = start.getnext(), ends.get(start.get(qn("w:id")))
        while node is not None and node is not end:
            nxt = node.getnext()
            node.getparent().remove(node)
            node = nxt
    return etree.tostring(root, method="c14n")


def test_corrected_figure_reaches_every_place_it_is_printed_and_edits_stay(year: Path) -> None:
    city = year / "out" / "2024" / CITY
    edits = edit_as_staff(city)
    before = without_marked(city)
    with zipfile.ZipFile(city) as package:
        comments = package.read("word/comments.xml")
    correct_students(year)

    result = refresh(year)
    assert result.exit_code == 3, result.output
    out = result.output
    assert "全市报告 › 1.10 培养规模 › “截至本学年末，全市中等职业学校共…”：9060 → 9160" in out
    assert (
        "全市报告 › 1.10 培养规模 › 表格（表1-5） “市一职”行“在校生 2024 年”列：2955 → 3055" in out
    )
    assert "全市报告 › 附表6 “全日制在校生人数”行“2024年”列：9060 → 9160" in out
    assert "市一职 › " in out and "2955 → 3055" in out
    assert "，不再关联数据" not in out and "0 处不再关联" in out

    prose = paragraph(docx.Document(str(city)), "截至本学年末")
    assert "在校生 9160 人" in prose.text
    all_text = texts(city)
    assert edits["reworded"] in all_text and edits["added"] in all_text
    assert edits["gone"] not in all_text
    assert "3055" in all_text and "9160" in all_text  # 表1-5's cell and its total
    doc = docx.Document(str(city))
    table = next(t for t in doc.tables if t.cell(0, 0).text == "学校" and len(t.rows) > 5)
    assert all(r.bold for r in table.rows[0].cells[1].paragraphs[0].runs)  # staff's bold
    with zipfile.ZipFile(city) as package:
        assert package.read("word/comments.xml") == comments
    assert without_marked(city) == before  # nothing else in the document moved

    backups = list(city.parent.glob("*.备份-*.docx"))
    assert len(backups) == 1 and "9060" in " ".join(texts(backups[0]))
    ws = openpyxl.load_workbook(year / "out" / "2024" / "数据来源.xlsx").active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert ("全市报告", "正文", "全日制在校生人数", "2024 年", "9160") in [r[:5] for r in rows]
    assert not [r for r in rows if r[0] == "全市报告" and r[4] == "9060" and r[1] == "正文"]
    assert {r[0] for r in rows} == {"全市报告", "市一职"}

    again = refresh(year)
    assert again.exit_code == 0 and "更新 0 份" in again.output, again.output


def test_build_keeps_a_refreshed_report_that_staff_edited_and_points_to_refresh(year: Path):
    city = year / "out" / "2024" / CITY
    edits = edit_as_staff(city)
    correct_students(year)
    assert refresh(year).exit_code == 3
    result = run(
        "build",
        "--inputs",
        str(year / "inputs"),
        "--templates",
        str(ROOT / "templates"),
        "--out",
        str(year / "out"),
        "--no-page-numbers",
        "--city-only",
    )
    assert result.exit_code == 1 and "docxreport refresh" in result.output
    assert edits["added"] in texts(city)


def test_a_deleted_or_retyped_figure_is_listed_as_no_longer_linked_not_put_back(year: Path):
    city = year / "out" / "2024" / CITY
    doc = docx.Document(str(city))
    prose = paragraph(doc, PROSE)
    starts = [
        b for b in prose._p.iter(qn("w:bookmarkStart")) if b.get(qn("w:name")).startswith(PREFIX)
    ]
    runs = [b.getnext() for b in starts]
    texts_before = [r.findtext(qn("w:t")) for r in runs]
    students = texts_before.index("9060")
    runs[students].getparent().remove(runs[students])  # staff deleted 在校生 9060
    staff = texts_before.index("1467")
    runs[staff].find(qn("w:t")).text = "约一千五百"  # and retyped 教职工 1467
    doc.save(str(city))
    correct_students(year)
    result = refresh(year, city)
    assert result.exit_code == 3, result.output
    lines = result.output.splitlines()
    deleted = [ln for ln in lines if "已删除" in ln]
    assert deleted and "1.10 培养规模 › “全市中等职业学校共有教职工" in deleted[0]
    assert "（生成时为“9060”）" in deleted[0] and "不再关联" in deleted[0]
    assert any("已改写为“约一千五百”" in ln for ln in lines)
    prose = paragraph(docx.Document(str(city)), PROSE)
    assert "9160" not in prose.text and "约一千五百" in prose.text


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")
def test_a_report_saved_by_libreoffice_is_refreshed_too(year: Path, tmp_path: Path) -> None:
    city = year / "out" / "2024" / CITY
    saved = tmp_path / "lo"
    subprocess.run(
        [
            find_soffice(),
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(saved),
            str(city),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    shutil.copyfile(saved / CITY, city)
    correct_students(year)
    result = refresh(year, city)
    assert result.exit_code == 3, result.output
    assert "9060 → 9160" in result.output and "2955 → 3055" in result.output
    assert "，不再关联数据" not in result.output
    assert "在校生 9160 人" in paragraph(docx.Document(str(city)), PROSE).text


def test_errors_in_the_workbooks_stop_refresh_before_anything_is_written(year: Path) -> None:
    city = year / "out" / "2024" / CITY
    before = city.read_bytes()
    correct_students(year, value=-5)
    result = refresh(year)
    assert result.exit_code == 1 and "未刷新任何报告" in result.output
    assert city.read_bytes() == before


def test_a_file_that_docxreport_did_not_build_is_skipped_with_a_reason(year: Path) -> None:
    other = year / "other.docx"
    document = docx.Document()
    document.add_paragraph("别的文件")
    document.save(str(other))
    result = refresh(year, other)
    assert "没有 docxreport 的标记信息" in result.output


def test_marks_are_hidden_bookmarks_and_the_state_part_names_what_each_stands_for(built: Path):
    from docxreport.render.state import read_state

    with zipfile.ZipFile(built / "out" / "2024" / CITY) as package:
        _, state = read_state(package)
        xml = package.read("word/document.xml").decode()
    assert state.report == "全市报告" and state.year == 2024 and state.template == "city.docx"
    kinds = {m.kind for m in state.marks}
    assert {"figure", "change", "table", "block", "text"} <= kinds
    students = [m for m in state.marks if (m.kind, m.key, m.part) == ("figure", "students", "curr")]
    assert students and students[0].printed == "9060"
    assert all(f'w:name="{m.name}"' in xml for m in state.marks)
    assert all(m.name.startswith("_dr") for m in state.marks)


def test_refresh_fills_a_draft_as_workbooks_arrive_and_drops_its_header(year: Path) -> None:
    away = year / "市艺校.xlsx"
    book = year / "inputs" / "2024" / "学校" / "市艺校.xlsx"
    shutil.move(book, away)
    out = year / "draft"
    common = ["--inputs", str(year / "inputs"), "--out", str(out), "--no-page-numbers"]
    result = run("build", *common, "--templates", str(ROOT / "templates"), "--draft", "--city-only")
    assert result.exit_code == 0, result.output
    city = out / "2024" / CITY
    assert "【待补】" in " ".join(texts(city))
    with zipfile.ZipFile(city) as package:
        assert any(
            "征求意见稿".encode() in package.read(n) for n in package.namelist() if "header" in n
        )

    shutil.move(away, book)  # the last school sends its workbook
    result = run("refresh", *common, "--draft")
    assert result.exit_code == 3, result.output
    assert "【待补】 → " in result.output and "征求意见稿" in result.output
    assert "【待补】" not in " ".join(texts(city))
    with zipfile.ZipFile(city) as package:
        assert not any(
            "征求意见稿".encode() in package.read(n) for n in package.namelist() if "header" in n
        )


def test_a_table_whose_shape_changed_is_rebuilt_with_its_mark(year: Path) -> None:
    from dataclasses import replace as dc_replace

    from docxreport.load import load_year
    from docxreport.render.patch import ReportFile, TableMaker
    from docxreport.view.report import make_view

    city = year / "out" / "2024" / CITY
    report = ReportFile(city)
    mark = next(m for m in report.state.marks if (m.kind, m.key) == ("table", "1-5"))
    data = load_year(year / "inputs", 2024, default_catalog()).data
    grid = make_view(data, default_catalog()).tables["1-5"].grid
    school = [dc_replace(grid.rows[-2][0], text="新学校"), *grid.rows[-2][1:]]
    grown = dc_replace(grid, rows=[*grid.rows[:-1], school, grid.rows[-1]])  # one school more
    fresh = TableMaker(city).make(grown, False)
    patch = report.update_table(report.bookmarks()[mark.name], fresh, mark.cells)
    assert (patch.how, patch.changed, patch.added) == ("rebuilt", [], ["新学校"])
    report.write(city)
    table = next(
        t
        for t in docx.Document(str(city)).tables
        if t.cell(0, 0).text == "学校" and len(t.rows) == len(grown.rows)
    )
    assert len(table.rows) == len(grid.rows) + 1
    assert ReportFile(city).bookmarks()[mark.name].end is not None  # the mark stays

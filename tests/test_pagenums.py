"""Page numbers of the contents lists: read from a real layout, written into the .docx."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from lxml import etree

from docxreport import build as build_module
from docxreport.build import CITY_TEMPLATE, SCHOOL_TEMPLATE, Job, Options, build, run_job
from docxreport.catalog import default_catalog
from docxreport.errors import OutputError
from docxreport.finish import pagenums as pagenums
from docxreport.load import load_year
from docxreport.render.numbering import number_document, toc_marker

ROOT = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HAS_TOOLS = all(shutil.which(t) for t in ("soffice", "pdftotext", "pdfinfo"))
needs_soffice = pytest.mark.skipif(
    not HAS_TOOLS, reason="未安装 LibreOffice（soffice）或 poppler-utils，跳过真实页码测试"
)


# -- reading the PDF text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("footer", "number"),
    [("— 5 —", "5"), ("—12—", "12"), ("— ii —", "ii"), ("—xii—", "xii"), ("7", "7")],
)
def test_footer_number_is_read_from_the_last_line(footer: str, number: str) -> None:
    page = f"1.1 立德树人\n\n  正文……\n\n\n            {footer}\n\n"
    assert pagenums.footer_number(page) == number


def test_a_page_without_a_footer_number_gives_none() -> None:
    assert pagenums.footer_number("封面\n\n巴彦淖尔市教育局编制\n2025 年 1 月\n") is None
    assert pagenums.footer_number("") is None


def test_headings_are_found_in_order_after_the_contents_pages() -> None:
    contents = "目录\n" + "".join(f"1.{i} 标题{i}......................{i}\n" for i in range(1, 5))
    pages = [
        contents,
        "1.1 标题1\n正文\n—1—",
        "正文\n1.2 标\n题2\n—2—",  # a heading split by a line break
        "见 1.1 标题1\n1.3 标题3\n—3—",
    ]
    entries = [pagenums.TocEntry("目录", f"1.{i} 标题{i}", f"b{i}") for i in (1, 2, 3, 4)]
    assert pagenums.find_by_text(entries, pages) == [2, 3, 4, None]


def test_a_bookmark_is_named_as_libreoffice_names_pdf_destinations() -> None:
    assert pagenums._dest_name("_TocDR000001") == "5FTocDR000001"


# -- writing the .docx, with the layout faked ---------------------------------------------------


def make_document() -> Document:
    """A small report: every contents list, headings on three levels, captions, an annex."""
    doc = Document()
    for name in ("表题", "图题", "案例标题", "附表标题"):
        doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    for kind in ("headings", "表", "图", "案例"):
        doc.add_paragraph(toc_marker(kind))
    doc.add_heading("人才培养", 1)
    doc.add_heading("立德树人", 2)
    doc.add_heading("强化思政课建设", 3)
    doc.add_paragraph("专业设置一览表", style="表题")
    doc.add_paragraph("班主任培训", style="图题")
    doc.add_paragraph("五育并举", style="案例标题")
    doc.add_heading("服务贡献", 1)
    doc.add_paragraph("产教融合信息统计表", style="表题")
    doc.add_paragraph("表1 人才培养质量计分卡", style="附表标题")
    return doc


@pytest.fixture
def numbered(tmp_path: Path) -> Path:
    doc = make_document()
    number_document(doc)
    path = tmp_path / "报告.docx"
    doc.save(str(path))
    return path


def fake_layout(monkeypatch: pytest.MonkeyPatch, pages_by_round: list[list[str | None]]) -> list:
    """Replace LibreOffice: round n of conversion lays the entries out on ``pages_by_round[n]``."""
    calls: list[list[Path]] = []

    def convert(
        docs: list[Path], outdir: Path, timeout: int = 600, jobs: int = 1, archive: bool = False
    ) -> list[Path]:
        calls.append(list(docs))
        outdir.mkdir(parents=True, exist_ok=True)
        return [outdir / f"{d.stem}.pdf" for d in docs]

    def locate(entries: list, pdf: Path) -> list[str | None]:
        return pages_by_round[min(len(calls), len(pages_by_round)) - 1]

    monkeypatch.setattr(pagenums.pdfconv, "convert", convert)
    monkeypatch.setattr(pagenums, "locate", locate)
    return calls


def listed(path: Path) -> list[tuple[str, str]]:
    """(entry text, number) of every contents paragraph, as Word/WPS show them without refresh."""
    styles = {"toc 1", "toc 2", "toc 3", "table of figures"}
    out = []
    for p in Document(str(path)).paragraphs:
        if p.style.name in styles and "\t" in p.text:
            text, _, number = p.text.rpartition("\t")
            out.append((text.strip(), number.strip()))
    return out


def test_numbers_are_written_into_the_cached_results(
    numbered: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = listed(numbered)
    pages = [str(n) for n in range(1, len(entries) + 1)]
    calls = fake_layout(monkeypatch, [pages])
    report = pagenums.fill_page_numbers(numbered, numbered.parent / "work")
    assert len(calls) == 2  # filled, then confirmed by a second layout
    assert report.stable and report.conversions == 2
    assert report.filled == len(entries) and report.not_found == []
    assert listed(numbered) == [(text, n) for (text, _), n in zip(entries, pages, strict=True)]
    assert [e.contents for e in report.entries][:4] == ["目录"] * 4
    assert {e.contents for e in report.entries} == {"目录", "表目录", "图目录", "案例目录"}


def test_only_the_cached_results_change(numbered: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = zipfile.ZipFile(numbered)
    old = {n: before.read(n) for n in before.namelist()}
    fake_layout(monkeypatch, [[str(n) for n in range(1, len(listed(numbered)) + 1)]])
    pagenums.fill_page_numbers(numbered)
    after = zipfile.ZipFile(numbered)
    assert after.namelist() == list(old)
    changed = [n for n in old if after.read(n) != old[n]]
    assert changed == ["word/document.xml"]

    def without_results(xml: bytes) -> bytes:
        root = etree.fromstring(xml)
        for instr in root.iter(f"{W}instrText"):
            if "PAGEREF" in (instr.text or ""):
                run = instr.getparent().getnext().getnext()  # separate, then the result run
                run.find(f"{W}t").text = ""
        return etree.tostring(root, method="c14n")

    doc = after.read("word/document.xml")
    assert without_results(doc) == without_results(old["word/document.xml"])
    assert doc.count(b"PAGEREF") == old["word/document.xml"].count(b"PAGEREF")


def test_a_number_that_moves_the_layout_is_filled_again(
    numbered: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = len(listed(numbered))
    first, second = ["1"] * n, ["2"] * n
    calls = fake_layout(monkeypatch, [first, second, second])
    report = pagenums.fill_page_numbers(numbered)
    assert len(calls) == 3 and report.stable
    assert {number for _, number in listed(numbered)} == {"2"}


def test_an_entry_not_found_is_reported_by_its_text(
    numbered: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = len(listed(numbered))
    fake_layout(monkeypatch, [[None] + ["3"] * (n - 1)])
    report = pagenums.fill_page_numbers(numbered)
    assert report.filled == n - 1
    assert report.not_found == ["目录：1. 人才培养"]
    assert listed(numbered)[0] == ("1. 人才培养", "")


def test_a_filled_report_needs_one_layout_and_is_left_unchanged(
    numbered: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = [str(n) for n in range(1, len(listed(numbered)) + 1)]
    fake_layout(monkeypatch, [pages])
    pagenums.fill_page_numbers(numbered)
    data = numbered.read_bytes()
    calls = fake_layout(monkeypatch, [pages])
    report = pagenums.fill_page_numbers(numbered)
    assert len(calls) == 1 and report.stable
    assert numbered.read_bytes() == data


def test_several_reports_share_each_conversion(
    numbered: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = numbered.with_name("学校报告.docx")
    shutil.copy(numbered, other)
    calls = fake_layout(monkeypatch, [["1"] * len(listed(numbered))])
    reports = pagenums.fill_page_numbers_many([numbered, other])
    assert calls == [[numbered, other], [numbered, other]]
    assert all(r.stable for r in reports)


def test_expected_numbers_are_written_first_and_confirmed_by_one_layout(
    numbered: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refs = pagenums._Report.open(numbered).refs
    pages = [str(n) for n in range(1, len(refs) + 1)]
    expected = {ref.entry.bookmark: page for ref, page in zip(refs, pages, strict=True)}
    calls = fake_layout(monkeypatch, [pages])
    report = pagenums.fill_page_numbers(numbered, expected=expected)
    assert len(calls) == 1 and report.conversions == 1 and report.stable
    assert [number for _, number in listed(numbered)] == pages


def test_a_wrong_expected_number_costs_a_second_layout(
    numbered: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refs = pagenums._Report.open(numbered).refs
    pages = [str(n) for n in range(1, len(refs) + 1)]
    expected = {ref.entry.bookmark: page for ref, page in zip(refs, pages, strict=True)}
    expected[refs[-1].entry.bookmark] = "99"  # a page added before the annex
    calls = fake_layout(monkeypatch, [pages])
    report = pagenums.fill_page_numbers(numbered, expected=expected)
    assert len(calls) == 2 and report.conversions == 2 and report.stable
    assert [number for _, number in listed(numbered)] == pages


def test_printed_pages_are_read_by_bookmark(
    numbered: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert pagenums.printed_pages(numbered) == {}  # not numbered yet
    refs = pagenums._Report.open(numbered).refs
    fake_layout(monkeypatch, [[None] + ["7"] * (len(refs) - 1)])
    pagenums.fill_page_numbers(numbered)
    assert pagenums.printed_pages(numbered) == {r.entry.bookmark: "7" for r in refs[1:]}
    assert pagenums.printed_pages(numbered.with_name("无此文件.docx")) == {}


# -- rebuilding: the previous build's numbers, confirmed by one layout ---------------------------


@pytest.fixture(scope="module")
def sample() -> tuple:
    cat = default_catalog("自治区")
    loaded = load_year(ROOT / "inputs", 2024, cat)
    assert loaded.data is not None, [str(i) for i in loaded.report.errors]
    return loaded, cat


def build_school(sample: tuple, templates: Path, out: Path, **options) -> build_module.Outcome:
    loaded, cat = sample
    outcome = build(
        loaded.data,
        cat,
        loaded.folder,
        templates,
        out,
        schools=["市艺校"],
        city=False,
        options=Options(jobs=1, **options),
    )
    assert len(outcome.done) == 1, (outcome.kept, outcome.failed, outcome.notes)
    return outcome


def fake_pages(monkeypatch: pytest.MonkeyPatch) -> list:
    """Replace LibreOffice with a layout that puts entry n on page n, whatever is written."""
    calls = fake_layout(monkeypatch, [[]])
    monkeypatch.setattr(
        pagenums, "locate", lambda entries, pdf: [str(i + 1) for i in range(len(entries))]
    )
    monkeypatch.setattr(build_module, "find_soffice", lambda: "soffice")
    return calls


def test_a_rebuild_starts_from_the_numbers_of_the_previous_build(
    sample: tuple, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = fake_pages(monkeypatch)
    first = build_school(sample, ROOT / "templates", tmp_path)
    assert first.layouts == [2] and len(calls) == 2
    again = build_school(sample, ROOT / "templates", tmp_path)
    assert again.layouts == [1] and len(calls) == 3
    numbers = [number for _, number in listed(again.written[0])]
    assert numbers == [str(i + 1) for i in range(len(numbers))]


def test_a_forced_rebuild_of_an_edited_report_starts_from_its_numbers(
    sample: tuple, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_pages(monkeypatch)
    docx = build_school(sample, ROOT / "templates", tmp_path).written[0]
    edited = Document(str(docx))
    edited.add_paragraph("学校补充的一段话。")
    edited.save(str(docx))
    forced = build_school(sample, ROOT / "templates", tmp_path, force=True)
    assert forced.backups and forced.layouts == [1]


def test_a_layout_that_fails_after_the_numbers_were_written_leaves_the_report_ours(
    sample: tuple, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_pages(monkeypatch)
    build_school(sample, ROOT / "templates", tmp_path)

    def fail(
        docs: list[Path], outdir: Path, timeout: int = 600, jobs: int = 1, archive: bool = False
    ) -> list[Path]:
        raise OutputError("LibreOffice 未能转换")

    monkeypatch.setattr(pagenums.pdfconv, "convert", fail)
    failed = build_school(sample, ROOT / "templates", tmp_path)
    assert any("目录页码或 PDF 未完成" in note for note in failed.notes)
    fake_pages(monkeypatch)
    again = build_school(sample, ROOT / "templates", tmp_path)  # not kept as if staff edited it
    assert again.layouts == [1] and not again.kept


# -- the sample city report, laid out by LibreOffice and read back with pdftotext --------------


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pagenums.PageNumberReport]:
    if not HAS_TOOLS:
        pytest.skip("未安装 LibreOffice（soffice）或 poppler-utils")
    cat = default_catalog("自治区")
    loaded = load_year(ROOT / "inputs", 2024, cat)
    assert loaded.data is not None, [str(i) for i in loaded.report.errors]
    out = tmp_path_factory.mktemp("out") / "city.docx"
    run_job(
        Job("全市报告", ROOT / "templates" / CITY_TEMPLATE, out), loaded.data, cat, loaded.folder
    )
    report = pagenums.fill_page_numbers(out, out.parent / "pdf")
    return out, report


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def printed_number(page: str) -> str:
    last = [line.strip() for line in page.splitlines() if line.strip()][-1]
    match = re.fullmatch(r"—\s*(\d+|[ivxlc]+)\s*—", last)
    assert match, f"no page number at the foot of: {page[-200:]!r}"
    return match.group(1)


def where_printed(entries: list[tuple[str, str]], pages: list[str]) -> list[tuple[str, str]]:
    """(entry, printed number of the first body page, in order, that shows the entry's text)."""
    body = [i for i, p in enumerate(pages) if "......" not in p]
    out, at = [], body[0]
    for text, _ in entries:
        key = squash(text)[:12]
        hit = next(
            (i for i in range(at, len(pages)) if i in body and key in squash(pages[i])), None
        )
        assert hit is not None, f"{text} is on no page after page {at + 1}"
        at = hit
        out.append((text, printed_number(pages[at])))
    return out


@needs_soffice
def test_the_pdf_is_a_whole_report(city: tuple[Path, pagenums.PageNumberReport]) -> None:
    _, report = city
    assert report.pdf is not None and report.pdf.read_bytes().startswith(b"%PDF-")
    pages = pdf_pages(report.pdf)
    assert 40 <= len(pages) <= 150
    assert "中等职业教育质量年度报告" in squash(pages[0])
    assert [printed_number(p) for p in pages[1:4]] == ["i", "ii", "iii"]
    assert report.stable and report.not_found == []


@needs_soffice
@pytest.mark.parametrize("prefix", ["", "表 ", "图 ", "案例 "])
def test_every_contents_number_is_the_page_where_the_entry_stands(
    city: tuple[Path, pagenums.PageNumberReport], prefix: str
) -> None:
    docx, report = city
    assert report.pdf is not None
    entries = listed(docx)
    figures = [e for e in entries if re.match(r"(表|图|案例) \d+-\d+ ", e[0])]
    if prefix:
        chosen = [e for e in figures if e[0].startswith(prefix)]
    else:
        chosen = [e for e in entries if e not in figures]
    assert len(chosen) >= 5
    assert all(number.isdigit() for _, number in chosen), chosen
    assert where_printed(chosen, pdf_pages(report.pdf)) == chosen


@needs_soffice
def test_the_pdf_contents_pages_show_the_same_numbers(
    city: tuple[Path, pagenums.PageNumberReport],
) -> None:
    docx, report = city
    assert report.pdf is not None
    lines = [
        squash(line) for p in pdf_pages(report.pdf) if "......" in p for line in p.splitlines()
    ]
    contents = "\n".join(line for line in lines if line)
    for text, number in listed(docx):
        wrapped = "\n?".join(re.escape(ch) for ch in squash(text))  # long entries wrap
        assert re.search(rf"^{wrapped}\n?\.+{number}$", contents, re.M), text


# -- the sample school report built, rebuilt, and rebuilt with a page added ----------------------


def add_page_before(template: Path, heading: str) -> None:
    """Put a page of text before the chapter ``heading`` of ``template``: later pages move on."""
    doc = Document(str(template))
    chapter = next(p for p in doc.paragraphs if p.text == heading)
    run = chapter.insert_paragraph_before().add_run()
    run.add_break(WD_BREAK.PAGE)
    run.add_text("本页为补充材料。")
    doc.save(str(template))


@pytest.fixture(scope="module")
def rebuilds(sample: tuple, tmp_path_factory: pytest.TempPathFactory) -> list:
    """(layouts, contents entries, PDF pages) of a first build, an unchanged rebuild, and a
    rebuild after a page was added before the chapter 服务贡献."""
    if not HAS_TOOLS:
        pytest.skip("未安装 LibreOffice（soffice）或 poppler-utils")
    root = tmp_path_factory.mktemp("rebuilds")
    templates = root / "templates"
    shutil.copytree(ROOT / "templates", templates)
    found = []
    for step in ("first", "unchanged", "moved"):
        if step == "moved":
            add_page_before(templates / SCHOOL_TEMPLATE, "服务贡献")
        outcome = build_school(sample, templates, root / "out", pdf=True)
        docx = outcome.written[0]
        found.append((outcome.layouts, listed(docx), pdf_pages(docx.with_suffix(".pdf"))))
    return found


def contents_shown(pages: list[str]) -> str:
    """The contents pages of a PDF as squashed lines."""
    lines = [squash(line) for p in pages if "......" in p for line in p.splitlines()]
    return "\n".join(line for line in lines if line)


def assert_numbers_agree(entries: list[tuple[str, str]], pages: list[str]) -> None:
    """Every heading entry's number is where it stands, and the PDF's contents show it."""
    headings = [e for e in entries if not re.match(r"(表|图|案例) \d+-\d+ ", e[0])]
    assert len(headings) >= 5 and all(number.isdigit() for _, number in headings), headings
    assert where_printed(headings, pages) == headings
    contents = contents_shown(pages)
    for text, number in entries:
        wrapped = "\n?".join(re.escape(ch) for ch in squash(text))
        assert re.search(rf"^{wrapped}\n?\.+{number}$", contents, re.M), text


@needs_soffice
def test_a_first_build_is_laid_out_twice_and_ends_correct(rebuilds: list) -> None:
    layouts, entries, pages = rebuilds[0]
    assert layouts == [2]
    assert_numbers_agree(entries, pages)


@needs_soffice
def test_an_unchanged_rebuild_is_laid_out_once_and_ends_correct(rebuilds: list) -> None:
    layouts, entries, pages = rebuilds[1]
    assert layouts == [1]
    assert entries == rebuilds[0][1]
    assert_numbers_agree(entries, pages)  # the PDF of that one layout shows the numbers


@needs_soffice
def test_a_page_added_before_a_chapter_is_laid_out_again_and_ends_correct(
    rebuilds: list,
) -> None:
    layouts, entries, pages = rebuilds[2]
    assert layouts == [2]
    before = dict(rebuilds[1][1])
    moved = [text for text, number in entries if number != before[text]]
    assert moved and moved[0].startswith("2. 服务贡献"), moved[:3]
    assert_numbers_agree(entries, pages)

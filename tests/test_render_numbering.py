"""Numbering of headings and captions, and the pre-filled contents lists."""

from __future__ import annotations

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from docxreport.render.numbering import number_document, toc_marker

CUSTOM_STYLES = ("表题", "图题", "案例标题", "标题 2 不编号", "附表标题")


def make_document():
    doc = Document()
    for name in CUSTOM_STYLES:
        doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    doc.add_paragraph("目录")
    doc.add_paragraph(toc_marker("headings"))
    doc.add_paragraph(toc_marker("表"))
    doc.add_paragraph(toc_marker("图"))
    doc.add_paragraph(toc_marker("案例"))
    doc.add_heading("人才培养", 1)
    doc.add_heading("立德树人", 2)
    doc.add_heading("强化思政课建设", 3)
    doc.add_paragraph("专业设置一览表", style="表题")
    doc.add_paragraph("班主任培训", style="图题")
    doc.add_paragraph("规模一览表", style="表题")
    doc.add_heading("专业建设", 2)
    doc.add_heading("课程建设", 3)
    doc.add_paragraph("五育并举", style="案例标题")
    doc.add_heading("服务贡献", 1)
    doc.add_paragraph("产教融合信息统计表", style="表题")
    doc.add_paragraph("服务企业", style="图题")
    doc.add_heading("面临挑战", 1)
    doc.add_paragraph("挑战 1 产教融合有待加强", style="标题 2 不编号")
    doc.add_paragraph("表1 人才培养质量计分卡", style="附表标题")
    return doc


def styled_texts(doc) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in doc.paragraphs]


def instr_texts(element) -> list[str]:
    return [el.text.strip() for el in element.iter(qn("w:instrText"))]


def test_headings_are_numbered_per_level_and_reset():
    doc = make_document()
    number_document(doc)
    headings = [t for s, t in styled_texts(doc) if s.startswith("Heading")]
    assert headings == [
        "1. 人才培养",
        "1.1 立德树人",
        "1.1.1 强化思政课建设",
        "1.2 专业建设",
        "1.2.1 课程建设",
        "2. 服务贡献",
        "3. 面临挑战",
    ]


def test_unnumbered_heading_styles_keep_their_text():
    doc = make_document()
    number_document(doc)
    texts = dict(styled_texts(doc))
    assert texts["标题 2 不编号"] == "挑战 1 产教融合有待加强"
    assert texts["附表标题"] == "表1 人才培养质量计分卡"


def test_captions_are_numbered_per_chapter():
    doc = make_document()
    summary = number_document(doc)
    captions = [t for s, t in styled_texts(doc) if s in ("表题", "图题", "案例标题")]
    assert captions == [
        "表 1-1 专业设置一览表",
        "图 1-1 班主任培训",
        "表 1-2 规模一览表",
        "案例 1-1 五育并举",
        "表 2-1 产教融合信息统计表",
        "图 2-1 服务企业",
    ]
    assert (summary.headings, summary.tables, summary.figures, summary.cases) == (9, 3, 2, 1)


def test_captions_carry_seq_fields_with_cached_results():
    doc = make_document()
    number_document(doc)
    caption = next(p for p in doc.paragraphs if p.text == "表 1-2 规模一览表")
    assert instr_texts(caption._p) == ["SEQ 表 \\* ARABIC \\s 1"]
    types = [f.get(qn("w:fldCharType")) for f in caption._p.iter(qn("w:fldChar"))]
    assert types == ["begin", "separate", "end"]
    first = next(p for p in doc.paragraphs if p.text == "表 2-1 产教融合信息统计表")
    assert instr_texts(first._p) == ["SEQ 表 \\* ARABIC \\r 1 \\s 1"]  # restart per chapter


def test_numbered_paragraphs_get_toc_bookmarks():
    doc = make_document()
    number_document(doc)
    names = [b.get(qn("w:name")) for b in doc.element.body.iter(qn("w:bookmarkStart"))]
    assert len(names) == 15 and len(set(names)) == 15
    assert all(n.startswith("_Toc") and len(n) <= 40 for n in names)


def test_numbering_twice_changes_nothing():
    doc = make_document()
    number_document(doc)
    once = styled_texts(doc)
    number_document(doc)
    assert styled_texts(doc) == once


def test_contents_markers_become_toc_fields_with_entries():
    doc = make_document()
    number_document(doc)
    body = doc.element.body
    assert not any("TOC:" in p.text for p in doc.paragraphs)
    tocs = [i for i in instr_texts(body) if i.startswith("TOC")]
    assert tocs == [
        'TOC \\o "1-3" \\h \\z \\u \\t "标题 2 不编号,2,附表标题,1"',
        'TOC \\h \\z \\c "表"',
        'TOC \\h \\z \\c "图"',
        'TOC \\h \\z \\c "案例"',
    ]
    entries = [
        (p.style.name, p.text)
        for p in doc.paragraphs
        if p.style.name.startswith(("toc", "table of"))
    ]
    assert entries[:9] == [
        ("toc 1", "1. 人才培养\t"),
        ("toc 2", "1.1 立德树人\t"),
        ("toc 3", "1.1.1 强化思政课建设\t"),
        ("toc 2", "1.2 专业建设\t"),
        ("toc 3", "1.2.1 课程建设\t"),
        ("toc 1", "2. 服务贡献\t"),
        ("toc 1", "3. 面临挑战\t"),
        ("toc 2", "挑战 1 产教融合有待加强\t"),
        ("toc 1", "表1 人才培养质量计分卡\t"),
    ]
    assert [t for s, t in entries[9:]] == [
        "表 1-1 专业设置一览表\t",
        "表 1-2 规模一览表\t",
        "表 2-1 产教融合信息统计表\t",
        "图 1-1 班主任培训\t",
        "图 2-1 服务企业\t",
        "案例 1-1 五育并举\t",
    ]
    assert {s for s, _ in entries[9:]} == {"table of figures"}


def test_toc_entries_link_to_bookmarks_with_pageref():
    doc = make_document()
    number_document(doc)
    body = doc.element.body
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    links = list(body.iter(qn("w:hyperlink")))
    assert len(links) == 15
    for link in links:
        anchor = link.get(qn("w:anchor"))
        assert anchor in bookmarks
        assert instr_texts(link) == [f"PAGEREF {anchor} \\h"]


def test_toc_field_spans_its_entries():
    doc = make_document()
    number_document(doc)
    kinds = [
        f.get(qn("w:fldCharType"))
        for p in doc.paragraphs
        if p.style.name == "table of figures" or p.style.name.startswith("toc")
        for f in p._p.iter(qn("w:fldChar"))
    ]
    # 4 TOC fields, each opened once and closed once, 15 PAGEREF fields inside
    assert kinds.count("begin") == 4 + 15
    assert kinds.count("end") == 4 + 15


def test_empty_contents_list_is_an_empty_field():
    doc = Document()
    doc.add_paragraph(toc_marker("图"))
    number_document(doc)
    assert instr_texts(doc.element.body) == ['TOC \\h \\z \\c "图"']
    assert doc.paragraphs[0].text == ""


def test_number_document_accepts_a_path(tmp_path):
    path = tmp_path / "r.docx"
    make_document().save(str(path))
    summary = number_document(path)
    assert summary.tables == 3
    assert "1. 人才培养" in [p.text for p in Document(str(path)).paragraphs]

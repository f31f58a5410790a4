"""Rendering a tiny template: escaping, errors, subdocuments, photos, cases, atomic write."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from lxml import etree

from docxreport.catalog import Catalog, Indicator, Sheet, TableColumn, TableSpec
from docxreport.errors import TemplateError
from docxreport.model import CityData, Dataset, Figure, School, SchoolData
from docxreport.render import (
    Case,
    Photo,
    add_table,
    load_template,
    make_cases,
    make_figures,
    render_report,
    toc_marker,
    verify_docx,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def write_png(path: Path, width: int, height: int) -> Path:
    """A valid grey PNG, made without an imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    png = b"\x89PNG\r\n\x1a\n" + chunk(
        b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    )
    png += chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    path.write_bytes(png)
    return path


def make_template(path: Path, *lines: tuple[str, str | None]) -> Path:
    doc = Document()
    for name in ("表题", "图题", "案例标题", "表格文字"):
        doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    for text, style in lines:
        doc.add_paragraph(text, style=style)
    doc.save(str(path))
    return path


def body_texts(path: Path) -> list[str]:
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


def tiny_dataset() -> tuple[Dataset, Catalog, TableSpec]:
    registry = [School("甲校", "甲校全称"), School("乙校", "乙校全称")]
    data = Dataset(2024, CityData("市级.xlsx", registry=registry), [])
    data.schools = [SchoolData(s, f"学校/{s.short}.xlsx") for s in registry]
    data.school_figures = {"甲校": {("staff", "curr"): Figure(12)}, "乙校": {}}
    data.city_figures = {("staff", "curr"): Figure(12)}
    staff = Indicator("staff", "教职工数", "人", "count", "s")
    spec = TableSpec("scale", "schools_rows", corner="学校", columns=(TableColumn("staff"),))
    return data, Catalog((Sheet("s", "表"),), (staff,), (), (spec,)), spec


def test_markup_and_control_characters_in_data_come_out_as_text(tmp_path):
    tpl = make_template(tmp_path / "t.docx", ("名称：{{ name }}", None), ("{{ note }}", None))
    out = tmp_path / "out" / "r.docx"
    render_report(tpl, {"name": 'A & B <b>粗</b> "引号"\x01', "note": "x\x0by"}, out)
    texts = body_texts(out)
    assert 'A & B <b>粗</b> "引号"' in texts[0]
    assert texts[1] == "xy"
    verify_docx(out)


def test_undefined_placeholder_names_it_and_its_paragraph(tmp_path):
    tpl = make_template(
        tmp_path / "t.docx", ("前文", None), ("全市共有 {{ missing_count }} 所学校", None)
    )
    with pytest.raises(TemplateError) as info:
        render_report(tpl, {}, tmp_path / "r.docx")
    message = str(info.value)
    assert "t.docx" in message and "missing_count" in message
    assert "全市共有" in message
    assert not (tmp_path / "r.docx").exists()


def test_undefined_attribute_names_it(tmp_path):
    tpl = make_template(tmp_path / "t.docx", ("{{ city.nothing }}", None))
    with pytest.raises(TemplateError, match="nothing"):
        render_report(tpl, {"city": {}}, tmp_path / "r.docx")


def test_syntax_error_is_a_template_error(tmp_path):
    tpl = make_template(tmp_path / "t.docx", ("{% if x %}未闭合", None))
    with pytest.raises(TemplateError, match="语法错误"):
        render_report(tpl, {"x": 1}, tmp_path / "r.docx")


def test_error_from_a_context_function_names_its_paragraph(tmp_path):
    def table(_id):
        raise TemplateError("表格 x 是学校清单表，需要指定学校")

    tpl = make_template(tmp_path / "t.docx", ("a", None), ("{{p table('x') }}", None))
    with pytest.raises(
        TemplateError, match=r"需要指定学校（模板 t\.docx，段落：“\{\{ table\('x'\) \}\}”）"
    ):
        render_report(tpl, {"table": table}, tmp_path / "r.docx")


def test_missing_template_is_a_template_error(tmp_path):
    with pytest.raises(TemplateError, match="无法读取模板"):
        render_report(tmp_path / "none.docx", {}, tmp_path / "r.docx")


def test_subdocument_table_is_inserted_and_styles_resolve(tmp_path):
    data, catalog, spec = tiny_dataset()
    tpl_path = make_template(
        tmp_path / "t.docx",
        ("{{ toc_t }}", None),
        ("人才培养", "Heading 1"),
        ("各校规模", "表题"),
        ("{{p tbl }}", None),
    )
    tpl = load_template(tpl_path)
    subdoc = tpl.new_subdoc()
    add_table(subdoc, spec, data, catalog)
    context = {"tbl": subdoc, "toc_t": toc_marker("表")}
    out = tmp_path / "r.docx"
    render_report(tpl_path, context, out, tpl=tpl)
    doc = Document(str(out))
    assert [[c.text for c in row.cells] for row in doc.tables[0].rows] == [
        ["学校", "教职工数（人）"],
        ["甲校", "12"],
        ["乙校", "—"],
    ]
    texts = [p.text for p in doc.paragraphs]
    assert texts[:3] == ["表 1-1 各校规模\t", "1. 人才培养", "表 1-1 各校规模"]
    style_ids = {s.style_id for s in doc.styles}
    used = {el.get(qn("w:val")) for el in doc.element.body.iter(qn("w:pStyle"))}
    assert used <= style_ids
    assert doc.tables[0].cell(1, 1).paragraphs[0].style.name == "表格文字"


def test_photos_are_scaled_and_captioned_missing_ones_marked(tmp_path):
    wide = write_png(tmp_path / "wide.png", 400, 100)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not an image")
    tpl_path = make_template(tmp_path / "t.docx", ("{{p figs }}", None))
    tpl = load_template(tpl_path)
    photos = [
        Photo("技能大赛开幕式", wide, "甲校"),
        Photo("送教入校", broken, "乙校"),
        Photo("校园文化墙", None, "乙校"),
    ]
    out = tmp_path / "r.docx"
    render_report(tpl_path, {"figs": make_figures(tpl, photos)}, out, tpl=tpl)
    doc = Document(str(out))
    shape = doc.inline_shapes[0]
    assert shape.width.mm == pytest.approx(156, abs=0.1)
    assert shape.height.mm == pytest.approx(39, abs=0.1)
    captions = [p.text for p in doc.paragraphs if p.style.name == "图题"]
    assert captions == ["图 0-1 技能大赛开幕式", "图 0-2 送教入校", "图 0-3 校园文化墙"]
    frames = [c.text for t in doc.tables for c in t._cells]
    assert frames[0] == "【图片待补充】\n送教入校\n文件：broken.jpg"
    assert "（未指定文件）" in frames[1]


def test_tall_photo_is_limited_in_height(tmp_path):
    tall = write_png(tmp_path / "tall.png", 100, 400)
    tpl_path = make_template(tmp_path / "t.docx", ("{{p figs }}", None))
    tpl = load_template(tpl_path)
    out = tmp_path / "r.docx"
    render_report(tpl_path, {"figs": make_figures(tpl, [Photo("竖图", tall)])}, out, tpl=tpl)
    shape = Document(str(out)).inline_shapes[0]
    assert shape.height.mm == pytest.approx(100, abs=0.1)
    assert shape.width.mm == pytest.approx(25, abs=0.1)


def test_cases_are_shaded_boxes_with_numbered_titles(tmp_path):
    photo = write_png(tmp_path / "p.png", 30, 20)
    tpl_path = make_template(tmp_path / "t.docx", ("人才培养", "Heading 1"), ("{{p cases }}", None))
    tpl = load_template(tpl_path)
    case = Case("五育并举 & 全面发展", ["第一段。", "第二段。"], [Photo("学生活动", photo)])
    out = tmp_path / "r.docx"
    render_report(tpl_path, {"cases": make_cases(tpl, [case])}, out, tpl=tpl)
    doc = Document(str(out))
    box = doc.tables[0]
    cell = box.cell(0, 0)
    assert cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "F2F2F2"
    texts = [(p.style.name, p.text) for p in cell.paragraphs if p.text]
    assert texts == [
        ("案例标题", "案例 1-1 五育并举 & 全面发展"),
        ("Normal", "第一段。"),
        ("Normal", "第二段。"),
        ("图题", "图 1-1 学生活动"),
    ]
    assert len(cell._tc.xpath(".//pic:pic")) == 1
    first_line = cell.paragraphs[1]._p.pPr.find(qn("w:ind")).get(qn("w:firstLineChars"))
    assert first_line == "200"


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path):
    tpl = make_template(tmp_path / "t.docx", ("{{ a }}", None))
    out = tmp_path / "out" / "r.docx"
    render_report(tpl, {"a": "一"}, out)
    render_report(tpl, {"a": "二"}, out)
    assert body_texts(out) == ["二"]
    assert [p.name for p in out.parent.iterdir()] == ["r.docx"]


def test_verify_rejects_leftover_template_tags(tmp_path):
    path = tmp_path / "bad.docx"
    doc = Document()
    doc.add_paragraph("残留 {{ x")
    doc.save(str(path))
    with pytest.raises(TemplateError, match="未处理的模板标记"):
        verify_docx(path)

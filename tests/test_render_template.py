"""A cached template renders what docxtpl renders, only faster."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2.bccache import FileSystemBytecodeCache
from lxml import etree

from docxreport.page import TEXT_WIDTH_MM
from docxreport.render import template
from docxreport.render.context import Xml
from docxreport.render.document import make_cases
from docxreport.render.tables import grid_xml
from docxreport.render.template import CachedTemplate, make_env
from docxreport.view.grids import Cell, Grid
from docxreport.view.report import Case, Photo
from test_render_document import make_template, write_png


def _render(tpl: DocxTemplate, photo: Path) -> bytes:
    grid = Grid([[Cell("学校"), Cell("人数")], [Cell("甲校"), Cell("12")]], [1.0, 1.0])
    context = {
        "name": "甲 & 乙",
        "table": Xml(grid_xml(grid, TEXT_WIDTH_MM, None)),
        "cases": make_cases(tpl, [Case("案例", ["一段。"], [Photo("活动", photo)])]),
        "rows": [["一", "二", "三", "四", "五"]],
    }
    tpl.render(context, jinja_env=make_env(), autoescape=True)
    return etree.tostring(tpl.docx.element, method="c14n")


def test_a_cached_template_renders_the_body_docxtpl_renders(tmp_path: Path) -> None:
    path = make_template(
        tmp_path / "t.docx",
        ("名称：{{ name }}", None),
        ("{{p table }}", None),
        ("{{p cases }}", None),
    )
    photo = write_png(tmp_path / "p.png", 30, 20)
    cached = CachedTemplate(path)
    assert _render(cached, photo) == _render(DocxTemplate(str(path)), photo)


def test_a_table_whose_row_outgrows_its_grid_is_fixed_as_docxtpl_fixes_it(tmp_path: Path) -> None:
    path = make_template(tmp_path / "t.docx", ("前文", None))
    doc = Document(str(path))
    cells = doc.add_table(rows=1, cols=3).rows[0].cells
    for cell, text in zip(
        cells, ("{%tc for x in rows[0] %}", "{{ x }}", "{%tc endfor %}"), strict=True
    ):
        cell.text = text
    doc.save(str(path))
    photo = write_png(tmp_path / "p.png", 30, 20)
    cached = CachedTemplate(path)
    assert _render(cached, photo) == _render(DocxTemplate(str(path)), photo)
    grid = cached.docx.element.body.find(f"{qn('w:tbl')}/{qn('w:tblGrid')}")
    assert len(grid) == 5


def test_a_template_is_compiled_once_then_read_from_the_cache(tmp_path: Path, monkeypatch) -> None:
    cache = FileSystemBytecodeCache(str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    monkeypatch.setattr(template, "_bytecode_cache", lambda: cache)
    path = make_template(tmp_path / "t.docx", ("全市共有 {{ n }} 所学校", None))
    compiled: list[str] = []
    env = make_env()
    real = env.compile
    monkeypatch.setattr(env, "compile", lambda source: compiled.append(source) or real(source))
    texts = []
    for n in (1, 2):
        template._compiled.cache_clear()  # as in a new process
        template._patched.cache_clear()
        tpl = CachedTemplate(path)
        tpl.render({"n": n}, jinja_env=env, autoescape=True)
        texts.append(tpl.docx.paragraphs[0].text)
    assert texts == ["全市共有 1 所学校", "全市共有 2 所学校"]
    assert len([source for source in compiled if source.startswith("<w:body")]) == 1

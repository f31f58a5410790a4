"""A report is checked before it is written: its XML parts parse, no tag is left in it."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx.opc.part import XmlPart

from docxreport.errors import TemplateError
from docxreport.render import load_template
from docxreport.render.verify import check_leftover_texts, check_parts
from test_render_document import make_template


def test_a_part_kept_as_bytes_that_does_not_parse_stops_the_report(tmp_path: Path) -> None:
    path = make_template(tmp_path / "t.docx", ("正文", None))
    tpl = load_template(path)
    check_parts(tpl, path, "")  # the template's own parts, unchanged
    parts = tpl.docx.part.package.iter_parts()
    raw = next(p for p in parts if not isinstance(p, XmlPart) and p.partname.endswith(".xml"))
    raw._blob = b"<broken"
    with pytest.raises(TemplateError, match=str(raw.partname).lstrip("/")):
        check_parts(tpl, path, "")


def test_a_leftover_tag_or_mark_is_named_with_its_paragraph() -> None:
    check_leftover_texts(["正文", "数据里的 {{ 不算"], "", {"{{ x }}"})
    with pytest.raises(TemplateError, match=r"未处理的模板标记.*全市 \{\{ x \}\} 所"):
        check_leftover_texts(["前文", "全市 {{ x }} 所"], "", {"{{ x }}"})
    with pytest.raises(TemplateError, match="未处理的数字标记"):
        check_leftover_texts(["\ue0001\ue00112\ue002"], "", set())


@pytest.mark.parametrize("where", ["header", "footnotes", "comments", "chart"])
def test_a_mark_character_in_any_part_of_the_package_stops_the_report(tmp_path: Path, where):
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    from docxreport.render.verify import check_no_marks

    doc = load_template(make_template(tmp_path / "t.docx", ("正文", None))).docx
    check_no_marks(doc, "")  # a clean package passes
    doc.sections[0].header.is_linked_to_previous = False
    if where == "header":
        doc.sections[0].header.paragraphs[0].text = "（\ue0008\ue0012024\ue002）"
    elif where == "comments":
        doc.add_comment(doc.paragraphs[0].runs, text="\ue0001\ue0019060\ue002", author="x")
    else:
        name = "/word/footnotes.xml" if where == "footnotes" else "/word/charts/chart1.xml"
        blob = "<x>在校生 \ue0003\ue0019060\ue002 人</x>".encode()
        doc.part.relate_to(Part(PackURI(name), "application/xml", blob, doc.part.package), "x")
    with pytest.raises(TemplateError, match=f"{where}.*未处理的数字标记"):
        check_no_marks(doc, "")

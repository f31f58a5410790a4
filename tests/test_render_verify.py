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

"""Write the region-neutral starter templates from the sample templates.

    python tools/make_starter.py

Reads ``templates/city.docx`` and ``templates/school.docx`` (the sample region's report
templates) and writes ``src/docxreport/starter/city.docx`` and ``school.docx``, which
``docxreport new`` copies for a new region. Kept: the national outline (cover, 声明,
编制组, 前言, the contents lists, the seven parts and their headings, the six annex
tables), every data-driven paragraph, table, photo and case block. Replaced: narrative
that only a region (or a school) can write, by one placeholder paragraph per section
(see :mod:`docxreport.checks.placeholders`). Static tables of the sample are left out.

The starter templates are source files: after running this, review them with
``docxreport dump`` and ``docxreport check --templates src/docxreport/starter``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from docxreport.checks.placeholders import placeholder

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "docxreport" / "starter"
# Words that belong to the sample region; any text holding one is the region's own.
SAMPLE_WORDS = (
    "巴彦淖尔",
    "内蒙古",
    "自治区",
    "河套",
    "五原",
    "乌拉特",
    "临河",
    "杭锦",
    "杭后",
    "前旗",
    "市一职",
    "市职校",
    "市艺校",
    "市体校",
    "巴市",
    "鄂尔多斯",
    "锡林郭勒",
    "科尔沁",
    "陕坝",
    "包头",
    "呼包",
    "内农大",
    "旗县",
)
HEADINGS = ("Heading 1", "Heading 2", "Heading 3")
RENAMED = {"服务自治区重大项目": "服务国家和区域重大战略"}
# The sample's own claims, which its data only lets through: in a starter template the
# sentence says what the data says instead.
CLAIMS = {
    '{% if change("funding_per_student").up %}全市中等职业学校生均经费逐年增加，办学条件明显改善。'
    "{% endif %}": '{% set c = change("funding_per_student") %}{% if c.flat %}年生均财政拨款与上年持平。'
    "{% elif c.has_pct %}年生均财政拨款较上年{{ c.word }} {{ c.pct }}%。{% endif %}",
}
BODY_STYLES = ("Normal", "无缩进正文")
_DATA = re.compile(r"\b(?:v|change|has|known)\(")  # a figure, not only the year or the name


# Captions of the sample that read as its bureau wrote them; a starter template reads well.
CAPTIONS = {
    "{{ majors_school }} ": "{{ majors_school_full }} ",
    "{{ year }} 各职业学校": "{{ year }} 年各职业学校",
}


def _style(p) -> str:
    return p.style.name if p.style is not None else ""


def _set_text(p, text: str) -> None:
    runs = p.runs
    runs[0].text = text
    for run in runs[1:]:
        run._r.getparent().remove(run._r)


def _local(text: str) -> bool:
    return any(w in text for w in SAMPLE_WORDS)


def _data_sentences(text: str) -> str:
    """The sentences of a paragraph that print data and name nothing local."""
    sentences = [s for s in re.split(r"(?<=[。；])", text) if s.strip()]
    kept = [s for s in sentences if _DATA.search(s) and not _local(s)]
    return "".join(kept)


def derive(src: Path, out: Path, who: str) -> None:
    doc = Document(str(src))
    body = doc.element.body
    trail: list[str] = []
    in_body = False
    in_preface = False
    asked: set[str] = set()  # sections that already have their placeholder
    caption = {st.style_id for st in doc.styles if st.name == "表题"}
    opened = 0  # {%p if %}/{%p for %} blocks open around the paragraph
    for el in list(body.iterchildren()):
        if el.tag == qn("w:tbl"):
            if in_body:  # a static table of the sample: left out with its caption
                prev = el.getprevious()
                body.remove(el)
                if prev is not None and set(prev.xpath("./w:pPr/w:pStyle/@w:val")) & caption:
                    body.remove(prev)
            continue
        if el.tag != qn("w:p"):
            continue
        p = next(x for x in doc.paragraphs if x._p is el)
        style, text = _style(p), p.text
        if style in HEADINGS:
            in_body, in_preface = True, False
            level = HEADINGS.index(style) + 1
            if text in RENAMED:
                _set_text(p, RENAMED[text])
            trail = [*trail[: level - 1], p.text]
            continue
        if style == "前置页标题":
            in_preface = text.replace("　", "") == "前言"
            trail = ["前言"] if in_preface else []
            continue
        if style == "目录标题":
            in_preface = False
            continue
        if style == "附表标题":
            in_body = False
            continue
        if (
            el.xpath("./w:pPr/w:pStyle/@w:val")
            and set(el.xpath("./w:pPr/w:pStyle/@w:val")) & caption
        ):
            for old, new in CAPTIONS.items():
                if old in text:
                    text = text.replace(old, new)
                    _set_text(p, text)
            continue
        if style == "标题 2 不编号":  # the sample's own challenges: one placeholder instead
            _ask(p, el, trail, who, asked, "面临的主要挑战（每条以“标题 2 不编号”样式写小标题）")
            p.style = doc.styles["Normal"]
            continue
        if not (in_body or in_preface) or style not in BODY_STYLES or not text.strip():
            continue
        for claim, computed in CLAIMS.items():
            if claim in text:
                text = text.replace(claim, computed)
                _set_text(p, text)
        if "{%p" in text or "{{p" in text:
            opened += len(re.findall(r"\{%p\s*(?:if|for)\b", text))
            opened -= len(re.findall(r"\{%p\s*end(?:if|for)\b", text))
            continue  # a block, table, photo or case: data
        if opened:
            continue  # said only under a condition of the data (no graduates…): kept
        if not _DATA.search(text):
            _ask(p, el, trail, who, asked)
            continue
        if "{%" in text and not _local(text):
            # a generic sentence with figures under a condition: kept, the region writes above
            section = " › ".join(trail)
            if section not in asked:
                new = p.insert_paragraph_before("", style=p.style)
                new.add_run("x")
                _ask(new, new._p, trail, who, asked)
            continue
        if _local(text) or not _DATA.search(text.split("。")[0]):
            kept = "" if "{%" in text else _data_sentences(text)
            if kept:
                _set_text(p, kept)
                print(f"  {out.name}: kept data sentences: {kept[:60]}…")
            else:
                _ask(p, el, trail, who, asked)
    doc.core_properties.title = ""
    doc.core_properties.author = ""
    doc.save(str(out))


def _ask(p, el, trail, who, asked, what: str = "") -> None:
    """Turn ``p`` into the section's placeholder, or drop it when the section has one."""
    section = " › ".join(trail) or "前言"
    if section in asked:
        el.getparent().remove(el)
        return
    asked.add(section)
    head = trail[-1] if trail else "前言"
    if what:
        ask = f"{who}{what}"
    elif head == "前言":
        ask = f"前言（{who}本年度职业教育发展概况、报告编制依据与过程）"
    else:
        quoted = head if "“" in head else f"“{head}”"
        ask = f"{who}{quoted}方面的主要做法与成效"
    _set_text(p, placeholder(ask))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, who in (("city.docx", "本地区"), ("school.docx", "本校")):
        derive(ROOT / "templates" / name, OUT / name, who)
        left = [t for t in _texts(OUT / name) if _local(t)]
        for t in left:
            print(f"  {name}: still local: {t[:80]}", file=sys.stderr)
        print(f"已写入 {OUT / name}")


def _texts(path: Path) -> list[str]:
    doc = Document(str(path))
    return ["".join(p.itertext()) for p in doc.element.body.iter(qn("w:p"))]


if __name__ == "__main__":
    main()

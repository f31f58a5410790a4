"""Generate the docxtpl template templates/city.docx from the reference report.

Developer script, not part of the package. It reads the prose of the reference report
(the text extraction in ../shared/reference) so that nobody retypes it, puts docxtpl
placeholders where the report states data, and defines the page setup and the styles
(GB/T 9704 conventions: 仿宋 body, 黑体/楷体 headings, 宋体 tables).

    .venv/bin/python tools/make_template.py                 # writes templates/city.docx
    .venv/bin/python tools/make_template.py --texts tools/sample/texts.toml
                                                            # also writes the cases and photos

The template uses only these names from the render context:
    year, prev_year, publish_date, declaration_date, reviewers, major_school,
    region.name / .full_name / .code / .bureau, team (m.role, m.name, m.title, m.show_role),
    v(key[, "prev"]), change(key).word / .pct, table(id[, school]), figures(section),
    cases(section), toc(kind)
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "reference" / "巴彦淖尔市中等职业教育质量年度报告（2024）.txt"
OUT = ROOT / "templates" / "city.docx"

# ---------------------------------------------------------------------------------------------
# Fonts and sizes (字号): 二号 22pt, 三号 16pt, 四号 14pt, 小四 12pt, 五号 10.5pt
# ---------------------------------------------------------------------------------------------
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
LATIN = "Times New Roman"
SIZE_2, SIZE_3, SIZE_4, SIZE_S4, SIZE_5 = 22, 16, 14, 12, 10.5

TEXT_WIDTH_MM = 156  # 210 - 28 - 26

# ---------------------------------------------------------------------------------------------
# What is data rather than prose. Each (old, new) must occur exactly once in the reference
# prose that goes into the template (checked), so that a change in the reference shows up.
# Region and bureau names are replaced where the prose names the region; names inside 《》,
# proper names (巴彦淖尔市理工类教育集团 …) and historical dates stay literal.
# ---------------------------------------------------------------------------------------------
BUREAU = "{{ region.bureau }}"
REGION = "{{ region.name }}"
YEAR = "{{ year }}"
PREV = "{{ prev_year }}"

PROSE_SUBS: list[tuple[str, str]] = [
    # 前言
    ("2024年，是我国职业教育", f"{YEAR}年，是我国职业教育"),
    ("巴彦淖尔市教育局坚持以习近平", f"{BUREAU}坚持以习近平"),
    ("分步骤推进巴彦淖尔市职业教育", f"分步骤推进{REGION}职业教育"),
    ("编制巴彦淖尔市中等职业教育质量年度报告", f"编制{REGION}中等职业教育质量年度报告"),
    ("了解巴彦淖尔市职业教育质量", f"了解{REGION}职业教育质量"),
    # chapters
    ("巴彦淖尔市中等职业学校全面贯彻", f"{REGION}中等职业学校全面贯彻"),
    ("2024 年全市参加各级各类大赛", f"{YEAR} 年全市参加各级各类大赛"),
    ("荣获 2024 年世赛总决赛", f"荣获 {YEAR} 年世赛总决赛"),
    ("；2024 年一带一路", f"；{YEAR} 年一带一路"),
    ("巴彦淖尔市各学校多渠道并举", f"{REGION}各学校多渠道并举"),
    ("2024年，市体育学校被", f"{YEAR}年，市体育学校被"),
    ("2024年，各学校开展各类职业技能培训", f"{YEAR}年，各学校开展各类职业技能培训"),
    ("2024年，临河三中", f"{YEAR}年，临河三中"),
    ("2022年以来，巴彦淖尔市教育局要求", f"2022年以来，{BUREAU}要求"),
    ("2024 年市职校与乌拉特中旗机场", f"{YEAR} 年市职校与乌拉特中旗机场"),
    ("2024 年市体育学校通过校企合作", f"{YEAR} 年市体育学校通过校企合作"),
    ("2024 年，市教育局举办了", f"{YEAR} 年，市教育局举办了"),
    ("编制发布了2023年质量年报", f"编制发布了{PREV}年质量年报"),
    (
        "2024 年全市中等职业学校财政专项经费 5785.82 万元；年生均财政拨款 2261.35 元",
        f'{YEAR} 年全市中等职业学校财政专项经费 {{{{ v("special_funding") }}}} 万元；'
        f'年生均财政拨款 {{{{ v("funding_per_student") }}}} 元',
    ),
]

# 1.10 培养规模: the figures sentence, inserted right before the caption of 表1-5.
SCALE_SENTENCE = (
    '全市中等职业学校共有教职工 {{ v("staff") }} 人；{{ year }} 年招生 {{ v("enrolment") }} 人，'
    '较上年{{ change("enrolment").word }} {{ change("enrolment").pct }}%；'
    '在校生 {{ v("students") }} 人，较上年{{ change("students").word }} '
    '{{ change("students").pct }}%；毕业生 {{ v("graduates") }} 人。'
)

# Captions of the data tables (the reference's caption without "表 x-y", years as placeholders)
# and the placeholder paragraph that the renderer replaces by the table.
TABLE_CAPTIONS = {
    "1-1": "{{ major_school }} {{ prev_year }} 学年、{{ year }} 学年专业设置及各专业学生情况一览表",
    "1-4": "各职业学校专业建设、课程建设、教材建设情况表",
    "1-5": "各职业学校教职工、招生、在校生、毕业生规模一览表",
    "1-6": "{{ year }} 各职业学校师生技能大赛获奖情况统计表",
    "1-7": "{{ prev_year }} 年、{{ year }} 年各职业学校升入本科人数统计表",
    "5-1": "各职业学校产教融合信息统计表",
    "6-1": "各职业学校教师队伍情况统计表",
    "6-2": "{{ year }} 年各职业学校教师教学能力大赛获奖情况统计表",
}
TABLE_PLACEHOLDERS = {"1-1": '{{p table("1-1", major_school) }}'}
STATIC_TABLES = {  # built as real Word tables from the reference's cells; column widths in mm
    "1-2": [22, 34, 100],
    "1-3": [30, 76, 50],
}

ANNEX = [  # (number, title, has the 名称 line)
    (1, "人才培养质量计分卡", True),
    (2, "各学校满意度调查表", False),
    (3, "教学资源表", True),
    (4, "服务贡献表", True),
    (5, "国际影响表", True),
    (6, "落实政策表", True),
]

# Who wrote each case / owns each photo (by the reference's number). "" = the bureau.
CASE_SCHOOL = {
    "1-1": "市一职", "1-2": "杭后职教", "1-3": "杭后职教", "1-4": "杭后职教", "1-5": "市一职",
    "2-1": "杭后职教", "2-2": "杭后职教", "2-3": "市职校",
    "3-1": "市艺校", "3-2": "市一职", "3-3": "市职校", "3-4": "杭后职教",
    "4-1": "市体校",
    "5-1": "市一职", "5-2": "杭后职教",
    "6-1": "", "6-2": "杭后职教",
}  # fmt: skip
PHOTO_SCHOOL = {  # photos outside cases; photos inside a case belong to the case's school
    "1-1": "杭后职教", "1-2": "市一职", "1-3": "杭后职教", "1-4": "", "1-5": "杭后职教",
    "1-6": "市艺校", "1-7": "杭后职教", "1-8": "市艺校", "1-9": "市一职", "1-10": "杭后职教",
    "1-11": "市艺校", "1-12": "", "1-13": "杭后职教", "1-14": "市一职", "1-15": "市体校",
    "1-16": "杭后职教",
    "2-1": "杭后职教", "2-2": "前旗职中", "2-3": "前旗职中", "2-4": "前旗职中",
    "2-5": "前旗职中", "2-6": "市一职", "2-7": "杭后职教", "2-8": "市一职",
    "3-1": "市一职", "3-2": "市职校", "3-3": "市一职", "3-4": "市一职", "3-5": "杭后职教",
    "5-1": "市职校", "5-2": "市一职",
    "6-1": "市一职",
}  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Reading the reference
# ---------------------------------------------------------------------------------------------
@dataclass
class Heading:
    sid: str  # "1", "1.1", "1.1.1"; "7.c1" for 挑战 1
    level: int
    title: str
    numbered: bool = True


@dataclass
class Case:
    num: str
    title: str
    section: str
    paras: list[str] = field(default_factory=list)


@dataclass
class Photo:
    num: str
    caption: str
    section: str
    case: str  # case title or ""


@dataclass
class Reference:
    outline: list[Heading]
    preface: list[str]
    body: list[tuple]  # ("heading", Heading) | ("para", text) | ("figures", sid)
    #                   | ("cases", sid) | ("table", tid, caption_from_reference, rows)
    cases: list[Case]
    photos: list[Photo]


NUM_RE = re.compile(r"^(\d+(?:\s*\.\s*\d+)*)\.?\s*(\S.*)$")
FIG_RE = re.compile(r"^图\s*(\d+-\d+)\s*(.+)$")
CASE_RE = re.compile(r"^案例\s*(\d+-\d+)\s*(.+)$")
TABLE_RE = re.compile(r"^表\s*(\d+-\d+)\s*(.+)$")
CHALLENGE_RE = re.compile(r"^挑战\s*(\d+)\s*(.+)$")
ANNEX_RE = re.compile(r"^表\s*(\d)\s+(.+)$")
SUBHEAD_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|-{2,}|——)")
TERMINAL = "。！？；：…"
CLOSERS = "”’）)》】"


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def parse_outline(lines: list[str]) -> list[Heading]:
    start = lines.index("目录")
    out: list[Heading] = []
    for line in lines[start + 1 :]:
        if line == "表目录":
            break
        if not line.strip():
            continue
        text = re.sub(r"\t\s*\d+\s*$", "", line).strip()
        if ANNEX_RE.match(text):
            continue
        m = CHALLENGE_RE.match(text)
        if m:
            out.append(Heading(f"7.c{m.group(1)}", 2, text, numbered=False))
            continue
        m = NUM_RE.match(text)
        if not m:
            raise ValueError(f"unreadable 目录 line: {line!r}")
        sid = squash(m.group(1))
        out.append(Heading(sid, sid.count(".") + 1, m.group(2).strip()))
    return out


def ends_paragraph(text: str) -> bool:
    return text.rstrip(CLOSERS)[-1:] in TERMINAL


def read_reference(path: Path) -> Reference:
    lines = path.read_text(encoding="utf-8").splitlines()
    outline = parse_outline(lines)
    by_key = {(h.sid, squash(h.title)): h for h in outline if h.numbered}
    challenges = {squash(h.title): h for h in outline if not h.numbered}

    # 前言: between "前 言" and "目录"
    i0 = next(i for i, s in enumerate(lines) if squash(s) == "前言")
    preface = [s.strip() for s in lines[i0 + 1 : lines.index("目录")] if s.strip()]

    # body: after the running header that follows 案例目录, up to the first annex table
    k = lines.index("案例目录")
    k = next(i for i in range(k, len(lines)) if "质量年度报告" in lines[i])
    end = next(i for i in range(k, len(lines)) if ANNEX_RE.match(lines[i].strip()))

    # 1) classify lines; rejoin paragraphs that the PDF extraction broke at page ends
    items: list[list] = []  # [kind, payload...]
    for raw in lines[k + 1 : end]:
        s = raw.strip()
        if not s or s.startswith("The screenshot"):  # image description leaked into the text
            continue
        if "\t" in raw:
            items.append(["row", [c.strip() for c in raw.split("\t")]])
            continue
        m = NUM_RE.match(s)
        if m and (squash(m.group(1)), squash(m.group(2))) in by_key:
            items.append(["heading", by_key[(squash(m.group(1)), squash(m.group(2)))]])
            continue
        if squash(s) in challenges:
            items.append(["heading", challenges[squash(s)]])
            continue
        if m := FIG_RE.match(s):
            items.append(["figure", m.group(1), m.group(2).strip()])
            continue
        if m := CASE_RE.match(s):
            items.append(["case", m.group(1), m.group(2).strip()])
            continue
        if m := TABLE_RE.match(s):
            items.append(["table", m.group(1), m.group(2).strip()])
            continue
        listed = s.startswith("- ")
        if listed:
            s = s[2:].strip()
        if s.startswith("---"):
            s = "——" + s.lstrip("-")
        prev = items[-1] if items else None
        if (
            prev is not None
            and prev[0] == "para"
            and not listed
            and not ends_paragraph(prev[1])
            and not SUBHEAD_RE.match(prev[1])
            and not SUBHEAD_RE.match(s)
        ):
            prev[1] += s
        else:
            items.append(["para", s])

    # 2) walk the items
    body: list[tuple] = []
    cases: list[Case] = []
    photos: list[Photo] = []
    section = ""
    case: Case | None = None
    case_anchor_done: set[str] = set()
    table: list | None = None
    for item in items:
        kind = item[0]
        if kind != "row":
            table = None
        if kind == "heading":
            h: Heading = item[1]
            case = None
            if h.numbered:
                section = h.sid
            body.append(("heading", h))
        elif kind == "row":
            if table is None:
                raise ValueError(f"table row outside a table: {item[1]}")
            table[3].append(item[1])
        elif kind == "table":
            if case is not None:
                raise ValueError(f"table inside a case: {item}")
            table = ["table", item[1], item[2], []]
            body.append(table)
        elif kind == "case":
            case = Case(item[1], item[2], section)
            cases.append(case)
            if section not in case_anchor_done:
                body.append(("cases", section))
                case_anchor_done.add(section)
        elif kind == "figure":
            photos.append(Photo(item[1], item[2], section, case.title if case else ""))
            if case is None:
                body.append(("figures", section))
        elif kind == "para":
            if case is not None:
                case.paras.append(item[1])
            else:
                body.append(("para", item[1]))

    # one figures() anchor per section: keep the last place where the section shows photos
    last: dict[str, int] = {}
    for i, el in enumerate(body):
        if el[0] == "figures":
            last[el[1]] = i
    body = [el for i, el in enumerate(body) if el[0] != "figures" or last[el[1]] == i]
    body = [tuple(el) if isinstance(el, list) else el for el in body]
    return Reference(outline, preface, body, cases, photos)


def apply_subs(texts: list[str]) -> list[str]:
    """Apply PROSE_SUBS to the prose, each exactly once over all paragraphs."""
    out = list(texts)
    for old, new in PROSE_SUBS:
        hits = [i for i, t in enumerate(out) if old in t]
        count = sum(t.count(old) for t in out)
        if count != 1:
            raise ValueError(f"substitution {old!r} matches {count} times (expected 1)")
        out[hits[0]] = out[hits[0]].replace(old, new)
    return out


# ---------------------------------------------------------------------------------------------
# Low-level formatting helpers
# ---------------------------------------------------------------------------------------------
def set_fonts(rpr_owner, east: str, latin: str = LATIN) -> None:
    """Set ascii/hAnsi/cs and the East Asian slot, dropping theme fonts (they would win)."""
    rpr = rpr_owner.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east)


def set_ind(ppr, *, first_chars=0, left_chars=0, size_pt=SIZE_4) -> None:
    """Indents in characters (w:*Chars, which win in Word/WPS) plus approximate twips."""
    ind = ppr.get_or_add_ind()
    for a in list(ind.attrib):
        del ind.attrib[a]
    twips_per_char = int(size_pt * 20)
    ind.set(qn("w:firstLineChars"), str(first_chars * 100))
    ind.set(qn("w:firstLine"), str(first_chars * twips_per_char))
    ind.set(qn("w:leftChars"), str(left_chars * 100))
    ind.set(qn("w:left"), str(left_chars * twips_per_char))


def set_outline(ppr, level: int | None) -> None:
    """Outline level 1..9 (stored 0-based); None removes it."""
    if level is None:
        ppr._remove_outlineLvl()
    else:
        ppr.get_or_add_outlineLvl().set(qn("w:val"), str(level - 1))


def no_numbering(ppr) -> None:
    """numId 0: never numbered, even if the style it is based on gets a list later."""
    num_pr = ppr.get_or_add_numPr()
    for child in list(num_pr):
        num_pr.remove(child)
    num_id = OxmlElement("w:numId")
    num_id.set(qn("w:val"), "0")
    num_pr.append(num_id)


def right_tab_with_leader(ppr, pos_mm: float) -> None:
    tabs = ppr.get_or_add_tabs()
    tab = OxmlElement("w:tab")
    tab.set(qn("w:val"), "right")
    tab.set(qn("w:leader"), "dot")
    tab.set(qn("w:pos"), str(round(pos_mm / 25.4 * 1440)))
    tabs.append(tab)


def paragraph_style(
    doc,
    name: str,
    *,
    base: str | None = "Normal",
    east: str = FANGSONG,
    size: float = SIZE_4,
    bold: bool = False,
    align=None,
    indent_chars: int | None = 0,
    left_chars: int = 0,
    exact: float | None = None,
    single: bool = False,
    before: float = 0,
    after: float = 0,
    keep_next: bool = False,
    page_break: bool = False,
    outline: int | None = None,
    style_id: str | None = None,
):
    styles = doc.styles
    try:
        st = styles[name]
    except KeyError:
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if style_id:
            st.element.set(qn("w:styleId"), style_id)
    if base is not None and st.name != "Normal":
        st.base_style = styles[base]
    st.quick_style = True
    font = st.font
    set_fonts(st.element, east)
    font.size = Pt(size)
    font.bold = bold
    font.italic = False
    rpr = st.element.get_or_add_rPr()
    rpr._remove_color()
    color = rpr._add_color()
    color.set(qn("w:val"), "000000")
    pf = st.paragraph_format
    if align is not None:
        pf.alignment = align
    if indent_chars is not None:
        set_ind(
            st.element.get_or_add_pPr(),
            first_chars=indent_chars,
            left_chars=left_chars,
            size_pt=size,
        )
    if exact is not None:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(exact)
    elif single:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.keep_with_next = keep_next
    pf.page_break_before = page_break
    pf.widow_control = True
    set_outline(st.element.get_or_add_pPr(), outline)
    return st


def define_styles(doc) -> None:
    styles = doc.styles
    # document defaults: 仿宋_GB2312 / Times New Roman, zh-CN, no spacing
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), LATIN)
    rfonts.set(qn("w:eastAsia"), FANGSONG)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr_default = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr_default.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")

    # 正文
    paragraph_style(
        doc, "Normal", base=None, indent_chars=2, exact=28, align=WD_ALIGN_PARAGRAPH.JUSTIFY
    )
    paragraph_style(doc, "无缩进正文", indent_chars=0, style_id="NoIndent")

    # headings (numbers are added by the post-processor)
    paragraph_style(
        doc,
        "Heading 1",
        east=HEITI,
        size=SIZE_3,
        exact=28,
        before=12,
        after=12,
        keep_next=True,
        page_break=True,
        outline=1,
        align=WD_ALIGN_PARAGRAPH.LEFT,
    )
    paragraph_style(
        doc,
        "Heading 2",
        east=KAITI,
        size=SIZE_3,
        exact=28,
        before=6,
        after=6,
        keep_next=True,
        outline=2,
        align=WD_ALIGN_PARAGRAPH.LEFT,
    )
    paragraph_style(
        doc,
        "Heading 3",
        east=FANGSONG,
        size=SIZE_4,
        bold=True,
        exact=28,
        before=6,
        after=6,
        keep_next=True,
        outline=3,
        align=WD_ALIGN_PARAGRAPH.LEFT,
    )
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        st = styles[name]
        rpr = st.element.get_or_add_rPr()
        for tag in ("w:bCs", "w:iCs"):
            el = rpr.find(qn(tag))
            if el is not None:
                rpr.remove(el)
    h2n = paragraph_style(
        doc,
        "标题 2 不编号",
        base="Heading 2",
        east=KAITI,
        size=SIZE_3,
        exact=28,
        before=6,
        after=6,
        keep_next=True,
        outline=2,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        style_id="Heading2NoNumber",
    )
    no_numbering(h2n.element.get_or_add_pPr())
    annex = paragraph_style(
        doc,
        "附表标题",
        base="Heading 1",
        east=HEITI,
        size=SIZE_3,
        exact=28,
        before=12,
        after=12,
        keep_next=True,
        page_break=True,
        outline=1,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        style_id="AnnexTitle",
    )
    no_numbering(annex.element.get_or_add_pPr())

    # front matter
    paragraph_style(
        doc,
        "封面标题",
        east=SONGTI,
        size=SIZE_2,
        bold=True,
        exact=40,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        style_id="CoverTitle",
    )
    paragraph_style(
        doc,
        "封面文字",
        east=FANGSONG,
        size=SIZE_3,
        exact=32,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        style_id="CoverText",
    )
    paragraph_style(
        doc,
        "前置页标题",
        east=HEITI,
        size=SIZE_3,
        exact=28,
        after=24,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        keep_next=True,
        style_id="FrontTitle",
    )
    paragraph_style(
        doc,
        "目录标题",
        east=HEITI,
        size=SIZE_3,
        exact=28,
        before=12,
        after=12,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        keep_next=True,
        style_id="TocTitle",
    )

    # captions, cases, tables, photos
    paragraph_style(
        doc,
        "表题",
        east=HEITI,
        size=SIZE_5,
        single=True,
        before=6,
        after=3,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        keep_next=True,
        style_id="TableCaption",
    )
    paragraph_style(
        doc,
        "图题",
        east=SONGTI,
        size=SIZE_5,
        single=True,
        before=3,
        after=6,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        style_id="FigureCaption",
    )
    paragraph_style(
        doc,
        "图片",
        east=SONGTI,
        size=SIZE_5,
        single=True,
        before=6,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        keep_next=True,
        style_id="Picture",
    )
    paragraph_style(
        doc,
        "案例标题",
        east=HEITI,
        size=SIZE_4,
        exact=28,
        before=12,
        after=6,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        keep_next=True,
        style_id="CaseTitle",
    )
    paragraph_style(
        doc,
        "表格文字",
        east=SONGTI,
        size=SIZE_5,
        single=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        style_id="TableText",
    )

    # tables of contents (Word: 目录 1-3, 图表目录)
    for level, sid in ((1, "TOC1"), (2, "TOC2"), (3, "TOC3")):
        st = paragraph_style(
            doc,
            f"toc {level}",
            east=FANGSONG,
            size=SIZE_4,
            exact=28,
            indent_chars=0,
            left_chars=2 * (level - 1),
            align=WD_ALIGN_PARAGRAPH.LEFT,
            style_id=sid,
        )
        right_tab_with_leader(st.element.get_or_add_pPr(), TEXT_WIDTH_MM)
        # A long entry wraps before the page-number column instead of pushing it to a new line.
        st.paragraph_format.right_indent = Twips(840)
        st.element.get_or_add_uiPriority().val = 39
        st.element.get_or_add_unhideWhenUsed()
    st = paragraph_style(
        doc,
        "table of figures",
        east=FANGSONG,
        size=SIZE_4,
        exact=28,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        style_id="TableofFigures",
    )
    right_tab_with_leader(st.element.get_or_add_pPr(), TEXT_WIDTH_MM)
    st.paragraph_format.right_indent = Twips(840)
    for name in ("toc 1", "toc 2", "toc 3", "table of figures"):  # Word's own styles
        styles[name].element.attrib.pop(qn("w:customStyle"), None)

    # header / footer
    paragraph_style(
        doc, "Footer", east=SONGTI, size=SIZE_S4, single=True, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    paragraph_style(
        doc, "Header", east=SONGTI, size=SIZE_5, single=True, align=WD_ALIGN_PARAGRAPH.CENTER
    )


# ---------------------------------------------------------------------------------------------
# Page setup and page numbers
# ---------------------------------------------------------------------------------------------
def page_setup(section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(25)
    section.gutter = Mm(0)


def page_numbering(section, fmt: str | None, start: int = 1) -> None:
    sect_pr = section._sectPr
    old = sect_pr.find(qn("w:pgNumType"))
    if old is not None:
        sect_pr.remove(old)
    if fmt is None:
        return
    pg = OxmlElement("w:pgNumType")
    pg.set(qn("w:fmt"), fmt)
    pg.set(qn("w:start"), str(start))
    # schema order: ... pgSz, pgMar, paperSrc, pgBorders, lnNumType, pgNumType, cols ...
    cols = sect_pr.find(qn("w:cols"))
    if cols is not None:
        cols.addprevious(pg)
    else:
        sect_pr.append(pg)


def add_field(paragraph, instr: str, shown: str) -> None:
    def fld(kind):
        r = OxmlElement("w:r")
        fc = OxmlElement("w:fldChar")
        fc.set(qn("w:fldCharType"), kind)
        r.append(fc)
        return r

    p = paragraph._p
    p.append(fld("begin"))
    r = OxmlElement("w:r")
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = f" {instr} "
    r.append(it)
    p.append(r)
    p.append(fld("separate"))
    paragraph.add_run(shown)
    p.append(fld("end"))


def footer_with_page_number(section, shown: str) -> None:
    footer = section.footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    p.style = "Footer"
    p.add_run("— ")
    add_field(p, "PAGE", shown)
    p.add_run(" —")


def empty_footer(section) -> None:
    footer = section.footer
    footer.is_linked_to_previous = False
    footer.paragraphs[0].text = ""


# ---------------------------------------------------------------------------------------------
# Building the document
# ---------------------------------------------------------------------------------------------
def para(doc, text: str = "", style: str | None = None, **fmt):
    p = doc.add_paragraph(text, style=style)
    pf = p.paragraph_format
    if fmt.get("page_break"):
        pf.page_break_before = True
    if "before" in fmt:
        pf.space_before = Pt(fmt["before"])
    if "align" in fmt:
        pf.alignment = fmt["align"]
    return p


def add_static_table(doc, rows: list[list[str]], widths_mm: list[float]) -> None:
    """A real Word table; an empty first-column cell merges with the cell above, an empty
    cell elsewhere merges with the cell on its left (as the reference's layout reads)."""
    ncols = len(widths_mm)
    rows = [[squash(c) if re.fullmatch(r"[\u4e00-\u9fff ]+", c) else c for c in r] for r in rows]
    rows = [(r + [""] * ncols)[:ncols] for r in rows]
    table = doc.add_table(rows=len(rows), cols=ncols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.width = Mm(widths_mm[c])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = cell.paragraphs[0]
            p.style = doc.styles["表格文字"]
            if text:
                run = p.add_run(text)
                if r == 0:
                    run.bold = True
    # merges
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                continue
            if c == 0 and r > 0:
                top = r - 1
                while top > 0 and not rows[top][0]:
                    top -= 1
                table.cell(top, 0).merge(table.cell(r, 0))
            elif c > 0:
                left = c - 1
                while left > 0 and not row[left]:
                    left -= 1
                table.cell(r, left).merge(table.cell(r, c))
    # merged cells keep the paragraphs of both; drop the empty ones
    for row in table.rows:
        for cell in row.cells:
            ps = cell.paragraphs
            if len(ps) > 1:
                for p in ps:
                    if not p.text and len(cell.paragraphs) > 1:
                        p._p.getparent().remove(p._p)
    # the grid decides the column widths in LibreOffice/WPS, tcW in Word: set both
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(round(w / 25.4 * 1440)))
    # header row repeats on a new page
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    hdr = OxmlElement("w:tblHeader")
    tr_pr.append(hdr)


def new_document(title: str):
    """An empty A4 document with the report styles and page setup (one section)."""
    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.language = "zh-CN"
    doc.core_properties.author = ""
    define_styles(doc)
    body_el = doc.element.body
    for child in list(body_el):
        if child.tag == qn("w:p"):
            body_el.remove(child)
    page_setup(doc.sections[0])
    return doc


def end_cover(doc) -> None:
    """End the cover section after its last paragraph."""
    doc.add_section(WD_SECTION.NEW_PAGE)
    # keep the cover on one page: the section break goes into the date paragraph instead of
    # the empty paragraph python-docx adds for it
    holder = doc.paragraphs[-1]._p
    date_ppr = holder.getprevious().get_or_add_pPr()
    date_ppr._insert_sectPr(holder.pPr.sectPr)
    holder.getparent().remove(holder)


def add_declaration(doc, statement: str, unit: str) -> None:
    """The 内容真实性责任声明 page: the statement, seal and signature lines, the date."""
    para(doc, "内容真实性责任声明", "前置页标题")
    para(doc, statement)
    p = para(doc, f"单位名称（盖章）：{unit}")
    p.paragraph_format.space_before = Pt(56)
    p = para(doc, "法定代表人（签名）：")
    p.paragraph_format.space_before = Pt(14)
    p = para(doc, "{{ declaration_date }}", "无缩进正文", align=WD_ALIGN_PARAGRAPH.RIGHT)
    p.paragraph_format.space_before = Pt(56)


def add_contents(doc) -> None:
    """目录, 表目录, 图目录 and 案例目录 (markers the renderer fills), then a new section."""
    para(doc, "目\u3000录", "目录标题", page_break=True)
    para(doc, '{{ toc("headings") }}')
    para(doc, "表目录", "目录标题", page_break=True)
    para(doc, '{{ toc("表") }}')
    para(doc, "图目录", "目录标题")
    para(doc, '{{ toc("图") }}')
    para(doc, "案例目录", "目录标题")
    para(doc, '{{ toc("案例") }}')
    doc.add_section(WD_SECTION.NEW_PAGE)  # its own (empty) paragraph: the TOC one is replaced


def finish_sections(doc) -> None:
    """Cover without a number, front matter i, ii …, body 1, 2 … (three sections)."""
    cover, front, body_section = doc.sections
    for s in doc.sections:
        page_setup(s)
    page_numbering(cover, None)
    page_numbering(front, "lowerRoman", 1)
    page_numbering(body_section, "decimal", 1)
    footer_with_page_number(front, "i")
    footer_with_page_number(body_section, "1")
    empty_footer(cover)


def save(doc, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))


def build(ref: Reference, subs: dict[str, str], out: Path) -> None:
    doc = new_document("中等职业教育质量年度报告")

    # 1. cover ------------------------------------------------------------------------------
    p = para(doc, "{{ region.full_name }}", "封面标题")
    p.paragraph_format.space_before = Pt(150)
    para(doc, "中等职业教育质量年度报告", "封面标题")
    p = para(doc, "（{{ year }}）", "封面文字")
    p.paragraph_format.space_before = Pt(12)
    p = para(doc, "{{ region.bureau }}编制", "封面文字")
    p.paragraph_format.space_before = Pt(230)
    para(doc, "{{ publish_date }}", "封面文字")
    end_cover(doc)

    # 2. 内容真实性责任声明 ------------------------------------------------------------------
    add_declaration(
        doc,
        "{{ region.bureau }}对{{ region.name }}中等职业教育质量报告（{{ year }}年度）"
        "及相关附件的真实性、完整性和准确性负责。特此声明。",
        "{{ region.bureau }}",
    )

    # 3. 编制组 -------------------------------------------------------------------------------
    para(doc, "{{ region.name }}中等职业教育质量报告编制组", "前置页标题", page_break=True)
    para(doc, "{%p for m in team %}")
    para(
        doc,
        '{% if m.show_role %}{{ m.role }}：{% else %}{{ "\u3000" * (m.role|length + 1) }}'
        "{% endif %}{{ m.name }}{% if m.title %}（{{ m.title }}）{% endif %}",
    )
    para(doc, "{%p endfor %}")
    para(doc, "审定：{{ reviewers }}")

    # 4. 前言 ---------------------------------------------------------------------------------
    para(doc, "前\u3000言", "前置页标题", page_break=True)
    preface = [subs.get(t, t) for t in ref.preface]
    for text in preface:
        para(doc, text)

    # 5. 目录 / 表目录 / 图目录 / 案例目录 ------------------------------------------------------
    add_contents(doc)

    # 6. chapters -----------------------------------------------------------------------------
    for el in body_with_subs(ref.body, subs):
        kind = el[0]
        if kind == "heading":
            h: Heading = el[1]
            if not h.numbered:
                para(doc, h.title, "标题 2 不编号")
            else:
                para(doc, h.title, f"Heading {h.level}")
        elif kind == "para":
            para(doc, el[1])
        elif kind == "figures":
            para(doc, f'{{{{p figures("{el[1]}") }}}}')
        elif kind == "cases":
            para(doc, f'{{{{p cases("{el[1]}") }}}}')
        elif kind == "scale_sentence":
            para(doc, SCALE_SENTENCE)
        elif kind == "table":
            _, tid, caption, rows = el
            if tid in STATIC_TABLES:
                para(doc, caption, "表题")
                add_static_table(doc, rows, STATIC_TABLES[tid])
            else:
                if tid == "1-1":
                    # The school whose majors 表1-1 shows is named here, in the template.
                    para(doc, '{%p set major_school = "杭后职教" %}')
                para(doc, TABLE_CAPTIONS[tid], "表题")
                para(doc, TABLE_PLACEHOLDERS.get(tid, f'{{{{p table("{tid}") }}}}'))

    # 7. annex --------------------------------------------------------------------------------
    for num, title, has_name in ANNEX:
        para(doc, f"表{num} {title}", "附表标题")
        if has_name:
            para(doc, "名称：{{ region.full_name }}({{ region.code }})", "无缩进正文")
        para(doc, f'{{{{p table("annex{num}") }}}}')

    finish_sections(doc)
    save(doc, out)


def prepare_subs(ref: Reference) -> dict[str, str]:
    """Map each prose paragraph that PROSE_SUBS changes to its template text (the
    substitutions are checked over preface and body together, each exactly once)."""
    texts = ref.preface + [el[1] for el in ref.body if el[0] == "para"]
    done = apply_subs(texts)
    for t in done:
        for tok in ("{#", "{%"):
            if tok in t:
                raise ValueError(f"Jinja token {tok!r} in prose: {t[:40]}")
    return {a: b for a, b in zip(texts, done, strict=True) if a != b}


def body_with_subs(body: list[tuple], subs: dict[str, str]) -> list[tuple]:
    out = []
    for el in body:
        if el[0] == "para":
            el = ("para", subs.get(el[1], el[1]))
        if el[0] == "table" and el[1] == "1-5":
            out.append(("scale_sentence",))
        out.append(el)
    return out


# ---------------------------------------------------------------------------------------------
# tools/sample/texts.toml
# ---------------------------------------------------------------------------------------------
def toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_multiline(s: str) -> str:
    return '"""\n' + s.replace("\\", "\\\\").replace('"""', '""\\"') + '"""'


def write_texts(ref: Reference, path: Path) -> None:
    case_by_title = {c.title: c for c in ref.cases}
    lines = [
        "# Cases (案例) and photo captions of the reference report, assigned to their schools.",
        "# Generated by tools/make_template.py --texts from the reference text.",
        '# school: short name; "" = written by the bureau (city workbook).',
        "# section: where the case / photo stands; matches the template's cases() / figures().",
        "",
    ]
    for c in ref.cases:
        if c.num not in CASE_SCHOOL:
            raise ValueError(f"no school for 案例 {c.num}")
        lines += [
            f"# 案例 {c.num}",
            "[[cases]]",
            f"school = {toml_str(CASE_SCHOOL[c.num])}",
            f"section = {toml_str(c.section)}",
            f"title = {toml_str(c.title)}",
            f"text = {toml_multiline(chr(10).join(p + chr(10) for p in c.paras).rstrip(chr(10)))}",
            "",
        ]
    for ph in ref.photos:
        if ph.case:
            school = CASE_SCHOOL[case_by_title[ph.case].num]
        else:
            if ph.num not in PHOTO_SCHOOL:
                raise ValueError(f"no school for 图 {ph.num}")
            school = PHOTO_SCHOOL[ph.num]
        lines += [
            f"# 图 {ph.num}",
            "[[photos]]",
            f"school = {toml_str(school)}",
            f"section = {toml_str(ph.section)}",
            f"case = {toml_str(ph.case)}",
            f"caption = {toml_str(ph.caption)}",
            "",
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reference", type=Path, default=REFERENCE)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--texts", type=Path, help="also write the cases and photos (TOML)")
    args = ap.parse_args(argv)
    ref = read_reference(args.reference)
    subs = prepare_subs(ref)
    build(ref, subs, args.out)
    print(f"wrote {args.out}")
    if args.texts:
        write_texts(ref, args.texts)
        print(f"wrote {args.texts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

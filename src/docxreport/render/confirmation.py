"""Write a school's 数据确认表 (:class:`docxreport.confirm.Form`) as a Word document.

A4, the report's text block (156 mm wide), 仿宋 text, 黑体 headings and 宋体
tables like the reports; the East Asian font slot is set on every run. The
figure tables are written by :func:`docxreport.render.tables.emit_grid`, so they
look like the report's own. Every page's footer names the school, the workbook
version and the page, so that a page swapped in from another version shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from docxreport.atomic import Ready, write_atomically
from docxreport.checks.confirmation import grouped, short_form
from docxreport.render.package import save_docx
from docxreport.render.tables import (
    SIZE_NORMAL,
    column_widths,
    mark_rows,
    set_indent_chars,
    set_run_font,
    set_table_borders,
    set_table_width,
    shade_cell,
    write_cell,
)
from docxreport.render.tidy import Stamp
from docxreport.text import clean_text
from docxreport.view.grids import Grid

if TYPE_CHECKING:
    from docxreport.confirm import Form

FANGSONG, HEITI, KAITI, SONGTI = "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
LATIN = "Times New Roman"
BODY = Pt(12)  # 小四
NUMERALS = "零一二三四五六七八九十"
BLANK = "\u3000" * 7  # the room for a signature, underlined
SHADE = "F2F2F2"  # label cells and header rows
VERSION = "数据表版本"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (up to 99), for 一、二、… headings."""
    tens, ones = divmod(n, 10)
    if not tens:
        return NUMERALS[ones]
    head = "" if tens == 1 else NUMERALS[tens]
    return head + "十" + (NUMERALS[ones] if ones else "")


def _run(paragraph: Any, text: str, font: str = FANGSONG, size: Pt = BODY, **style: bool) -> Any:
    run = paragraph.add_run(clean_text(text))
    set_run_font(run, size, font)
    run.font.name = LATIN
    run.bold = style.get("bold")
    run.underline = style.get("underline")
    return run


def _para(doc: Any, text: str = "", font: str = FANGSONG, size: Pt = BODY, **fmt: Any) -> Any:
    p = doc.add_paragraph()
    pf = p.paragraph_format
    pf.space_before, pf.space_after = Pt(fmt.get("before", 0)), Pt(fmt.get("after", 0))
    pf.line_spacing = fmt.get("line", 1.25)
    pf.alignment = fmt.get("align", WD_ALIGN_PARAGRAPH.JUSTIFY)
    pf.keep_with_next = fmt.get("keep", False)
    if fmt.get("indent"):
        set_indent_chars(p, 0, 2)
    if text:
        _run(p, text, font, size, bold=fmt.get("bold"))
    return p


def _set_up(doc: Any, form: Form) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(30), Mm(28)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = LATIN, BODY
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    core = doc.core_properties
    core.title = clean_text(f"{form.school.full}数据确认表（{form.year}）")
    core.author = clean_text(form.bureau or form.school.full)
    core.subject = f"{form.year} 年度质量年度报告数据确认表"
    keywords = ("数据确认表", "质量年度报告", str(form.year), form.school.full, form.school.short)
    core.keywords = clean_text("、".join(dict.fromkeys(k for k in keywords if k)))
    core.language = "zh-CN"


def _field(paragraph: Any, code: str, shown: str) -> None:
    """A simple field (PAGE, NUMPAGES) showing ``shown`` until the reader lays it out."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), f" {code} ")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    fonts.set(qn("w:eastAsia"), SONGTI)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "18")
    rpr.extend([fonts, size])
    text = OxmlElement("w:t")
    text.text = shown
    run.extend([rpr, text])
    fld.append(run)
    paragraph._p.append(fld)


def _footer(doc: Any, form: Form) -> None:
    p = doc.sections[0].footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    small = Pt(9)
    _run(
        p,
        f"{form.school.short}数据确认表　数据表版本 {short_form(form.digest)}　第 ",
        SONGTI,
        small,
    )
    _field(p, "PAGE", "1")
    _run(p, " 页 共 ", SONGTI, small)
    _field(p, "NUMPAGES", "1")
    _run(p, " 页", SONGTI, small)


def _facts(doc: Any, form: Form) -> None:
    """The school, year, workbook and version, as a two-column table."""
    rows = [
        ("学校名称", f"{form.school.full}（{form.school.short}）"),
        ("报告年度", f"{form.year} 年度"),
        ("数据表", form.file),
        (VERSION, short_form(form.digest)),
        ("完整指纹（SHA-256）", grouped(form.digest)),
    ]
    table = doc.add_table(len(rows), 2)
    set_table_borders(table)
    set_table_width(table, [int(w * 1440 / 25.4) for w in (42, 114)])
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for (label, value), row in zip(rows, table.rows, strict=True):
        shade_cell(row.cells[0], SHADE)
        for column, text in enumerate((label, value)):
            p = row.cells[column].paragraphs[0]
            p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(2)
            bold = label == VERSION and column == 1  # the one staff copy into the registry
            _run(p, text, SONGTI, Pt(14) if bold else Pt(10.5), bold=bold)


def _notes(doc: Any, form: Form) -> None:
    to = form.bureau or "编制组"
    _para(
        doc,
        f"下表列出贵校数据表中全市报告和本校报告印出（或据以计算印出数字）的全部 {form.count} 项"
        "数据，按数据表的工作表分组，数值与报告中印出的相同（百分比不带 % 号，单位见“单位”列；"
        "空白格表示该年度的数字报告中不印出）。",
        indent=True,
        before=10,
    )
    _para(
        doc,
        "请逐项核对。无误后由填表人和学校负责人签字、加盖单位公章，将本表扫描件连同数据表"
        f"报送{to}。如有错误，请改正数据表后重新报送，由编制组重新生成本表：数据表的任何改动"
        "都会使数据表版本改变，旧版本的确认表随之作废。",
        indent=True,
        after=6,
    )


def _table(doc: Any, grid: Grid) -> None:
    """A group's figures: bordered, widths as the grid gives them (mm), header shaded and
    repeated on every page, no row split across pages."""
    ncols = len(grid.weights)
    table = doc.add_table(len(grid.rows), ncols)
    set_table_borders(table)
    set_table_width(table, column_widths(grid.weights))
    cells = table._cells
    for r, row in enumerate(grid.rows):
        for c, spec in enumerate(row):
            if spec is None:
                continue
            cell = cells[r * ncols + c]
            write_cell(cell, spec, SIZE_NORMAL, None)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if r < grid.header_rows:
                shade_cell(cell, SHADE)
    mark_rows(table, grid.header_rows)


def _groups(doc: Any, form: Form) -> None:
    for n, (sheet, grid) in enumerate(form.groups, start=1):
        _para(doc, f"{chinese_number(n)}、{sheet}", HEITI, Pt(14), before=12, after=6, keep=True)
        _table(doc, grid)
    if not form.groups:
        _para(doc, "报告中没有印出贵校数据表中的数据。", indent=True, before=12)


def _signatures(doc: Any, form: Form) -> None:
    """The declaration and the lines to sign and stamp, kept together on one page."""
    size = Pt(14)
    _para(
        doc,
        "内容真实性责任声明",
        HEITI,
        Pt(16),
        before=24,
        after=10,
        keep=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _para(doc, form.declaration, FANGSONG, size, indent=True, keep=True, line=1.5)
    lines = [
        [("填表人（签名）：", False), (BLANK, True), ("　　联系电话：", False), (BLANK, True)],
        [("学校负责人（签名）：", False), (BLANK, True)],
        [(f"单位（盖章）：{form.school.full}", False)],
        [("日期：　　　　年　　月　　日", False)],
    ]
    for i, parts in enumerate(lines):
        p = _para(doc, before=(24 if i < 3 else 48), keep=i < len(lines) - 1)
        set_indent_chars(p, 2)
        for text, underline in parts:
            _run(p, text, FANGSONG, size, underline=underline)


def write_form(
    form: Form, out: Path, within: Path | None = None, ready: Ready | None = None
) -> None:
    """Write ``form`` to ``out`` (in the folder ``within``, else its own) as a .docx, atomically."""
    doc = Document()
    _set_up(doc, form)
    _footer(doc, form)
    _para(doc, "质量年度报告数据确认表", HEITI, Pt(22), align=WD_ALIGN_PARAGRAPH.CENTER, after=4)
    _para(doc, f"（{form.year} 年度）", KAITI, Pt(16), align=WD_ALIGN_PARAGRAPH.CENTER, after=14)
    _facts(doc, form)
    _notes(doc, form)
    _groups(doc, form)
    _signatures(doc, form)
    stamp = Stamp.replacing(out)
    write_atomically(lambda tmp: save_docx(doc, tmp, stamp), out, within or out.parent, ready=ready)

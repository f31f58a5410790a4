"""Photos and cases (案例) as document blocks.

A photo is a centred picture followed by its caption in style "图题"; a case is
a shaded one-cell box holding its title in style "案例标题", its text and its
photos. Captions and titles carry no number: :mod:`docxreport.render.numbering`
adds it later, finding them by their style names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT
from docx.image.image import Image
from docx.shared import Emu, Mm, Pt, RGBColor

from docxreport.render.fmt import clean_text
from docxreport.render.tables import (
    SIZE_NORMAL,
    TEXT_WIDTH_MM,
    column_widths,
    set_cell_borders,
    set_indent_chars,
    set_run_font,
    set_table_borders,
    set_table_width,
    shade_cell,
)

FIGURE_CAPTION_STYLE = "图题"
CASE_TITLE_STYLE = "案例标题"
MAX_PHOTO_HEIGHT_MM = 100.0
PLACEHOLDER_HEIGHT_MM = 30.0
PLACEHOLDER_TEXT = "【图片待补充】"
CASE_FILL = "F2F2F2"  # light grey
CASE_PADDING_MM = 6.0  # room taken by the box's cell margins and borders
GREY = RGBColor(0x80, 0x80, 0x80)


@dataclass(frozen=True)
class Photo:
    """A photo to print: ``path`` None or unreadable gives a marked placeholder."""

    caption: str
    path: Path | None = None
    school: str = ""


@dataclass(frozen=True)
class Case:
    """A case story: a title, its paragraphs and its photos."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)


def ensure_paragraph_style(container: Any, name: str, centred: bool = True) -> None:
    """Add paragraph style ``name`` when the document lacks it, so numbering can find it."""
    styles = container.part.styles
    if name in styles:
        return
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles.default(WD_STYLE_TYPE.PARAGRAPH)
    style.quick_style = True
    if centred:
        style.paragraph_format.alignment = WD_PARAGRAPH_ALIGNMENT.CENTER


def _image_size(path: Path | None, max_width_mm: float) -> tuple[Emu, Emu] | None:
    """Size scaled to fit max_width × 100 mm keeping the aspect ratio; None if unreadable."""
    if path is None or not path.is_file():
        return None
    try:
        image = Image.from_file(str(path))
        width, height = int(image.width), int(image.height)
    except Exception:  # any parse failure means the file is not a usable image
        return None
    if width <= 0 or height <= 0:
        return None
    scale = min(Mm(max_width_mm) / width, Mm(MAX_PHOTO_HEIGHT_MM) / height)
    return Emu(int(width * scale)), Emu(int(height * scale))


def _plain_paragraph(container: Any, text: str = "") -> Any:
    """A centred paragraph with no first-line indent."""
    paragraph = container.add_paragraph(clean_text(text))
    paragraph.alignment = WD_PARAGRAPH_ALIGNMENT.CENTER
    set_indent_chars(paragraph, 0, 0)
    return paragraph


def _placeholder(container: Any, photo: Photo, width_mm: float) -> None:
    """A bordered empty frame saying which photo is missing."""
    table = container.add_table(1, 1)
    set_table_borders(table)
    set_table_width(table, column_widths([1.0], width_mm))
    row = table.rows[0]
    row.height, row.height_rule = Mm(PLACEHOLDER_HEIGHT_MM), WD_ROW_HEIGHT_RULE.AT_LEAST
    cell = table.cell(0, 0)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    expected = photo.path.name if photo.path else "（未指定文件）"
    lines = [PLACEHOLDER_TEXT, photo.caption, f"文件：{expected}"]
    for i, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        paragraph.alignment = WD_PARAGRAPH_ALIGNMENT.CENTER
        set_indent_chars(paragraph, 0, 0)
        run = paragraph.add_run(clean_text(line))
        run.font.color.rgb = GREY
        set_run_font(run, SIZE_NORMAL)


def add_photo(container: Any, photo: Photo, width_mm: float = TEXT_WIDTH_MM) -> None:
    """The picture (or a placeholder) followed by its caption paragraph."""
    size = _image_size(photo.path, width_mm)
    if size is None:
        _placeholder(container, photo, width_mm)
    else:
        run = _plain_paragraph(container).add_run()
        run.add_picture(str(photo.path), width=size[0], height=size[1])
    ensure_paragraph_style(container, FIGURE_CAPTION_STYLE)
    container.add_paragraph(clean_text(photo.caption), style=FIGURE_CAPTION_STYLE)


def figures_block(subdoc: Any, photos: list[Photo]) -> None:
    """Append every photo with its caption to ``subdoc``."""
    for photo in photos:
        add_photo(subdoc, photo)


def add_case(container: Any, case: Case, width_mm: float = TEXT_WIDTH_MM) -> None:
    """One case: a shaded, bordered box with title, text and photos.

    A small paragraph goes before the box: it keeps Word and LibreOffice from joining the
    box to a table or box above it, and, unlike one after the box, it cannot spill onto
    an otherwise empty page at the end of a chapter.
    """
    spacer = container.add_paragraph()
    spacer.paragraph_format.space_before = spacer.paragraph_format.space_after = Pt(0)
    spacer.paragraph_format.line_spacing = Pt(6)
    spacer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    table = container.add_table(1, 1)
    set_table_borders(table)
    set_table_width(table, column_widths([1.0], width_mm))
    cell = table.cell(0, 0)
    shade_cell(cell, CASE_FILL)
    set_cell_borders(cell)
    ensure_paragraph_style(container, CASE_TITLE_STYLE)
    title = cell.paragraphs[0]
    title.style = CASE_TITLE_STYLE
    # Inside a table, keep-with-next would hold the whole box together and leave half
    # a page empty before a long case; let the box break across pages instead.
    title.paragraph_format.keep_with_next = False
    title.add_run(clean_text(case.title))
    for text in case.paragraphs:
        paragraph = cell.add_paragraph(clean_text(text))
        paragraph.alignment = WD_PARAGRAPH_ALIGNMENT.JUSTIFY
        set_indent_chars(paragraph, 0, 2)
    for photo in case.photos:
        add_photo(cell, photo, width_mm - CASE_PADDING_MM)


def cases_block(subdoc: Any, cases: list[Case]) -> None:
    """Append every case box to ``subdoc``."""
    for case in cases:
        add_case(subdoc, case)

"""Photos and cases (案例) as document blocks.

A photo is a centred picture followed by its caption in style "图题"; a case is
a shaded one-cell box holding its title in style "案例标题", its text and its
photos. Captions and titles carry no number: :mod:`docxreport.render.numbering`
adds it later, finding them by their style names.
"""

from __future__ import annotations

import io
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell

from docxreport.page import MAX_PHOTO_HEIGHT_MM, TEXT_WIDTH_MM
from docxreport.photos import PhotoError, PhotoShop, Prepared, inspect
from docxreport.render.tables import (
    SIZE_NORMAL,
    TABLE_FONT,
    W_NS,
    append_xml,
    borders_xml,
    column_widths,
    mark_rows,
    set_indent_chars,
    set_table_borders,
    set_table_width,
    style_id,
    table_xml,
    text_xml,
)
from docxreport.text import clean_text
from docxreport.view.report import Case, Photo

FIGURE_CAPTION_STYLE = "图题"
CASE_TITLE_STYLE = "案例标题"
PICTURE_STYLE = "图片"  # used for picture paragraphs when the template defines it
PLACEHOLDER_HEIGHT_MM = 30.0
PLACEHOLDER_TEXT = "【图片待补充】"
CASE_FILL = "F2F2F2"  # light grey
CASE_PADDING_MM = 6.0  # room taken by the box's cell margins and borders
GREY = "808080"
_NO_INDENT = '<w:ind w:leftChars="0" w:left="0" w:firstLineChars="0" w:firstLine="0"/>'
CELL_MARGINS_MM = 2 * 1.9  # Word's default left and right cell margins
# Elements that follow w:snapToGrid inside w:pPr (OOXML sequence order).
_AFTER_SNAP_TO_GRID = (
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def ensure_paragraph_style(container: Any, name: str, centred: bool = True) -> str:
    """The id of paragraph style ``name``, added when the document lacks it, so that
    numbering can find it."""
    found = style_id(container, name)
    if found is not None:
        return found
    styles = container.part.styles
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles.default(WD_STYLE_TYPE.PARAGRAPH)
    style.quick_style = True
    if centred:
        style.paragraph_format.alignment = WD_PARAGRAPH_ALIGNMENT.CENTER
    return style_id(container, name) or style.style_id


def _prepared(photo: Photo, max_width_mm: float, shop: PhotoShop) -> Prepared | None:
    """The photo ready to place, or None when it is missing or unusable (a placeholder)."""
    if photo.path is None or not photo.path.is_file():
        return None
    try:
        return shop.prepare(photo.path, max_width_mm, MAX_PHOTO_HEIGHT_MM)
    except PhotoError:
        return None  # check reports the file with its workbook cell


def _is_portrait(photo: Photo) -> bool:
    if photo.path is None or not photo.path.is_file():
        return False
    try:
        return inspect(photo.path).portrait
    except PhotoError:
        return False


def _plain_paragraph(container: Any, text: str = "") -> Any:
    """A centred paragraph with no first-line indent."""
    paragraph = container.add_paragraph(clean_text(text))
    paragraph.alignment = WD_PARAGRAPH_ALIGNMENT.CENTER
    set_indent_chars(paragraph, 0, 0)
    return paragraph


def _picture_paragraph(container: Any) -> Any:
    """The paragraph a picture stands in: single (auto) line spacing, no indent, kept with
    its caption. The body style's exact line spacing would clip an inline picture to one
    line in Word and LibreOffice alike, so the spacing is set on the paragraph itself.
    """
    paragraph = _plain_paragraph(container)
    picture = style_id(container, PICTURE_STYLE)
    if picture is not None:
        paragraph._p.style = picture
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.keep_with_next = True
    fmt.space_after = Pt(0)
    snap = OxmlElement("w:snapToGrid")  # a document grid must not cap the line either
    snap.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().insert_element_before(snap, *_AFTER_SNAP_TO_GRID)
    return paragraph


def _placeholder(container: Any, photo: Photo, width_mm: float) -> None:
    """A bordered empty frame saying which photo is missing."""
    expected = photo.path.name if photo.path else "（未指定文件）"
    rpr = (
        f'<w:rPr><w:rFonts w:eastAsia="{TABLE_FONT}"/><w:color w:val="{GREY}"/>'
        f'<w:sz w:val="{round(SIZE_NORMAL.pt * 2)}"/></w:rPr>'
    )
    lines = "".join(
        f'<w:p><w:pPr>{_NO_INDENT}<w:jc w:val="center"/></w:pPr>'
        f"<w:r>{rpr}{text_xml(clean_text(line))}</w:r></w:p>"
        for line in (PLACEHOLDER_TEXT, photo.caption, f"文件：{expected}")
    )
    widths = column_widths([1.0], width_mm)
    height = Mm(PLACEHOLDER_HEIGHT_MM).twips
    row = (
        f'<w:tr><w:trPr><w:trHeight w:val="{height}" w:hRule="atLeast"/></w:trPr>'
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{widths[0]}"/><w:vAlign w:val="center"/>'
        f"</w:tcPr>{lines}</w:tc></w:tr>"
    )
    append_xml(container, table_xml(widths, [row]))


def _caption(container: Any, text: str) -> None:
    """A photo's caption paragraph (style 图题, numbered later)."""
    style = ensure_paragraph_style(container, FIGURE_CAPTION_STYLE)
    append_xml(
        container,
        f'<w:p xmlns:w="{W_NS}"><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        f"<w:r>{text_xml(clean_text(text))}</w:r></w:p>",
    )


def add_photo(
    container: Any, photo: Photo, width_mm: float = TEXT_WIDTH_MM, shop: PhotoShop | None = None
) -> None:
    """The picture (or a placeholder) followed by its caption paragraph."""
    prepared = _prepared(photo, width_mm, shop or PhotoShop())
    if prepared is None:
        _placeholder(container, photo, width_mm)
    else:
        run = _picture_paragraph(container).add_run()
        run.add_picture(
            io.BytesIO(prepared.data), width=Mm(prepared.width_mm), height=Mm(prepared.height_mm)
        )
    _caption(container, photo.caption)


def _add_pair(container: Any, pair: list[Photo], width_mm: float, shop: PhotoShop) -> None:
    """Two portrait photos side by side, each above its own caption, in a borderless row."""
    table = container.add_table(1, 2)
    set_table_borders(table, "nil")
    set_table_width(table, column_widths([1.0, 1.0], width_mm))
    mark_rows(table, 0)  # the row never splits: both photos stay on one page
    for cell, photo in zip(table.rows[0].cells, pair, strict=True):
        add_photo(cell, photo, width_mm / 2 - CELL_MARGINS_MM, shop)
        cell._tc.remove(cell.paragraphs[0]._p)  # the cell's initial empty paragraph


def add_photos(
    container: Any,
    photos: list[Photo],
    width_mm: float = TEXT_WIDTH_MM,
    shop: PhotoShop | None = None,
) -> None:
    """Every photo with its caption; two portrait photos in a row stand side by side."""
    shop = shop or PhotoShop()
    i = 0
    while i < len(photos):
        if i + 1 < len(photos) and _is_portrait(photos[i]) and _is_portrait(photos[i + 1]):
            _add_pair(container, photos[i : i + 2], width_mm, shop)
            i += 2
        else:
            add_photo(container, photos[i], width_mm, shop)
            i += 1


def figures_block(subdoc: Any, photos: list[Photo], shop: PhotoShop | None = None) -> None:
    """Append every photo with its caption to ``subdoc``."""
    add_photos(subdoc, photos, TEXT_WIDTH_MM, shop)


def add_case(
    container: Any, case: Case, width_mm: float = TEXT_WIDTH_MM, shop: PhotoShop | None = None
) -> None:
    """One case: a shaded, bordered box with title, text and photos.

    A small paragraph goes before the box: it keeps Word and LibreOffice from joining the
    box to a table or box above it, and, unlike one after the box, it cannot spill onto
    an otherwise empty page at the end of a chapter.
    """
    spacer = container.add_paragraph()
    spacer.paragraph_format.space_before = spacer.paragraph_format.space_after = Pt(0)
    spacer.paragraph_format.line_spacing = Pt(6)
    spacer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    widths = column_widths([1.0], width_mm)
    title = ensure_paragraph_style(container, CASE_TITLE_STYLE)
    # Inside a table, keep-with-next would hold the whole box together and leave half
    # a page empty before a long case; let the box break across pages instead.
    paragraphs = [
        f'<w:p><w:pPr><w:pStyle w:val="{title}"/><w:keepNext w:val="0"/></w:pPr>'
        f"<w:r>{text_xml(clean_text(case.title))}</w:r></w:p>"
    ]
    paragraphs += [
        '<w:p><w:pPr><w:ind w:leftChars="0" w:left="0" w:firstLineChars="200" '
        'w:firstLine="420"/><w:jc w:val="both"/></w:pPr>'
        f"<w:r>{text_xml(clean_text(text))}</w:r></w:p>"
        for text in case.paragraphs
    ]
    row = (
        f'<w:tr><w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{widths[0]}"/>'
        f"<w:tcBorders>{borders_xml(inside=False)}</w:tcBorders>"
        f'<w:shd w:val="clear" w:color="auto" w:fill="{CASE_FILL}"/></w:tcPr>'
        f"{''.join(paragraphs)}</w:tc></w:tr>"
    )
    tbl = append_xml(container, table_xml(widths, [row]))
    cell = _Cell(tbl.tr_lst[0].tc_lst[0], Table(tbl, container))
    add_photos(cell, case.photos, width_mm - CASE_PADDING_MM, shop)


def cases_block(subdoc: Any, cases: list[Case], shop: PhotoShop | None = None) -> None:
    """Append every case box to ``subdoc``."""
    for case in cases:
        add_case(subdoc, case, shop=shop)

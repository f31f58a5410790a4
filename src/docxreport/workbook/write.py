"""Writing workbooks laid out by :mod:`docxreport.layout`.

The same code makes the sample workbooks and the blank ones ``init`` sends to
schools. Input cells carry Excel data validation from the catalog; headers and
labels are locked, inputs unlocked, with no password, so that a school cannot
move the structure by accident but can always fill in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from docxreport import layout as L
from docxreport.atomic import write_atomically
from docxreport.catalog import Catalog, Indicator, ListColumn, ListSpec
from docxreport.checks.templatesections import Section
from docxreport.model import CityData, Scalar, School
from docxreport.workbook.guidance import (
    info_notes,
    section_rule,
    sections_last,
    sections_sheet,
    team_prompts,
)
from docxreport.workbook.printing import fit_row_heights, set_up_printing
from docxreport.workbook.textcells import keep_all_text

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")
BOLD = Font(bold=True)
GREY = Font(color="808080", size=9)
UNLOCKED = Protection(locked=False)

Values = dict[tuple[str, str], Scalar]
Lists = dict[str, Sequence[dict[str, Scalar]]]


def _header(ws: Worksheet, headers: Iterable[str], widths: Sequence[int]) -> None:
    for col, (text, width) in enumerate(zip(headers, widths, strict=False), start=1):
        cell = ws.cell(row=1, column=col, value=text)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"


def _protect(ws: Worksheet, rows: bool = False) -> None:
    """Protect the sheet without a password; ``rows``: rows may be added and deleted."""
    ws.protection.sheet = True
    ws.protection.formatRows = False
    ws.protection.formatColumns = False
    if rows:
        ws.protection.insertRows = False
        ws.protection.deleteRows = False


def _number_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _range_rule(kind: str, lo: float | None, hi: float | None, scale: float = 1) -> DataValidation:
    """Excel's rule for a number between ``lo`` and ``hi`` (either may be open)."""
    if lo is not None and hi is not None:
        return DataValidation(
            type=kind,
            operator="between",
            formula1=_number_text(lo / scale),
            formula2=_number_text(hi / scale),
        )
    if hi is not None:
        return DataValidation(
            type=kind, operator="lessThanOrEqual", formula1=_number_text(hi / scale)
        )
    return DataValidation(
        type=kind, operator="greaterThanOrEqual", formula1=_number_text((lo or 0) / scale)
    )


def _range_words(lo: float | None, hi: float | None, unit: str = "") -> str:
    if lo is not None and hi is not None:
        return f"{_number_text(lo)}{unit} 到 {_number_text(hi)}{unit} 之间"
    if hi is not None:
        return f"不大于 {_number_text(hi)}{unit}"
    return f"不小于 {_number_text(lo or 0)}{unit}"


def _validation(ind: Indicator) -> DataValidation:
    """Excel's rule for an indicator's cells, from the catalog, with its input message.

    A text indicator gets the input message only.
    """
    unit = f"，单位：{ind.unit}" if ind.unit else ""
    prompt = (L.note(ind) + unit)[:250]
    if ind.kind == "count":
        dv = _range_rule("whole", ind.min, ind.max)
        dv.error = f"请填写{_range_words(ind.min, ind.max)}的整数"
    elif ind.kind == "percent":
        # Percent cells are formatted as percentages and hold fractions of one:
        # typing 95 shows and stores 95%.
        dv = _range_rule("decimal", ind.min, ind.max, scale=100)
        dv.error = f"请填写{_range_words(ind.min, ind.max, '%')}的百分数"
    elif ind.kind in ("amount", "ratio"):
        dv = _range_rule("decimal", ind.min, ind.max)
        dv.error = f"请填写{_range_words(ind.min, ind.max)}的数值，保留 {ind.decimals} 位小数"
    else:
        dv = DataValidation(type=None)
    dv.errorTitle, dv.showErrorMessage = "输入有误", dv.type is not None
    dv.allow_blank = True  # an empty cell means unknown
    dv.promptTitle, dv.prompt, dv.showInputMessage = ind.name[:32], prompt, True
    return dv


def _indicator_sheet(
    ws: Worksheet,
    cat: Catalog,
    inds: list[Indicator],
    headers: tuple[str, ...],
    values: Values,
    cols: dict[str, str],
    extra: dict[str, str] | None = None,
) -> None:
    _header(ws, headers, (14, 40, 8, 16, 16, 40, 40)[: len(headers)])
    for offset, ind in enumerate(inds):
        r = L.FIRST_ROW + offset
        ws[f"A{r}"], ws[f"B{r}"], ws[f"C{r}"] = ind.key, L.display_name(cat, ind), ind.unit
        ws[f"A{r}"].font = GREY
        for c in "ABC":
            ws[f"{c}{r}"].fill = LABEL_FILL
        note_col = get_column_letter(len(headers))
        ws[f"{note_col}{r}"] = (extra or {}).get(ind.key, L.note(ind))
        for c in range(1, len(headers) + 1):  # long names and notes wrap, rows stay tidy
            ws.cell(row=r, column=c).alignment = Alignment(wrap_text=c > 1, vertical="center")
        dv = _validation(ind)
        dv.add(f"B{r}")  # the label shows the definition and unit too
        for period, col in cols.items():
            cell = ws[f"{col}{r}"]
            cell.value = _stored(ind, values.get((ind.key, period)))
            cell.protection, cell.fill = UNLOCKED, INPUT_FILL
            decimals = "0." + "0" * ind.decimals if ind.decimals else "0"
            if ind.kind == "percent":
                cell.number_format = decimals + "%"
            elif ind.decimals:
                cell.number_format = decimals
            dv.add(cell)
        ws.add_data_validation(dv)
    _protect(ws)


def _stored(ind: Indicator, value: Scalar) -> Scalar:
    """The cell value for a figure: a percentage is stored as a fraction of one."""
    if ind.kind == "percent" and isinstance(value, int | float):
        return round(value / 100, 10)
    return value


LIST_ROWS = 1000  # list rows that carry drop-downs and checks
SECTION = "section"  # the list column that names a chapter of the report


def _list_sheet(
    ws: Worksheet,
    spec: ListSpec,
    year: int,
    rows: Sequence[dict[str, Scalar]],
    sections: str | None = None,
) -> None:
    """A list sheet; ``sections`` is where its 章节 column's drop-down takes its values."""
    widths = [60 if c.key == "text" else 14 for c in spec.columns]
    _header(ws, L.list_headers(spec, year), widths)
    for r, row in enumerate(rows, start=2):
        for c, col in enumerate(spec.columns, start=1):
            cell = ws.cell(row=r, column=c, value=row.get(col.key))
            cell.protection = UNLOCKED
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for c, col in enumerate(spec.columns, start=1):
        letter = get_column_letter(c)
        ws.column_dimensions[letter].protection = UNLOCKED  # rows added later
        if col.key == SECTION:  # a chapter such as 1.10 stays text, not the number 1.1
            ws.column_dimensions[letter].number_format = "@"
        header = DataValidation(type=None)
        header.add(f"{letter}1")
        rule = section_rule(sections) if sections and col.key == SECTION else _list_rule(col)
        rule.add(f"{letter}2:{letter}{LIST_ROWS}")
        for dv in (header, rule):
            dv.promptTitle = col.name.format(prev=year - 1, curr=year)[:32]
            if not dv.prompt:
                dv.prompt, dv.showInputMessage = _list_prompt(col), True
            ws.add_data_validation(dv)
    _protect(ws, rows=True)


def _list_rule(col: ListColumn) -> DataValidation:
    if col.choices:
        dv = DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"')
        dv.error, dv.showErrorMessage = "请从下拉列表中选择", True
    elif col.kind == "count":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
        dv.error, dv.showErrorMessage = "请填写不小于 0 的整数", True
    else:
        dv = DataValidation(type=None)
    dv.errorTitle, dv.allow_blank = "输入有误", True
    return dv


def _list_prompt(col: ListColumn) -> str:
    parts = ["必填" if col.required else "选填"]
    if col.choices:
        parts.append("从下拉列表选择：" + "、".join(col.choices))
    elif col.kind == "count":
        parts.append("填不小于 0 的整数")
    return "；".join(parts)


def _info_sheet(
    ws: Worksheet, fields: tuple[tuple[str, str], ...], values: dict[str, Scalar], locked: set[str]
) -> None:
    _header(ws, L.INFO_HEADERS, (18, 40))
    for r, (key, label) in enumerate(fields, start=2):
        ws[f"A{r}"], ws[f"B{r}"] = label, values.get(key)
        ws[f"A{r}"].fill = LABEL_FILL
        if key not in locked:
            ws[f"B{r}"].protection = UNLOCKED
    _protect(ws)


GUIDE_SHEET, GUIDE_WIDTH = "填表说明", 80


def _guide_sheet(wb: Workbook, lines: Sequence[str]) -> None:
    ws = wb.create_sheet(GUIDE_SHEET)
    ws.column_dimensions["A"].width = GUIDE_WIDTH
    for r, line in enumerate(lines, start=1):
        ws[f"A{r}"] = line
        ws[f"A{r}"].alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(bold=True, size=14)
    ws.row_dimensions[1].height = 24
    _protect(ws)


def school_guide(
    school: School, year: int, contact: str = "", notes: Sequence[str] = ()
) -> list[str]:
    """The 填表说明 lines: how to fill in, ``notes`` about this year's file, whom to ask."""
    lines = [
        "请在白色单元格中填写；灰色单元格为指标名称、单位和说明，已锁定，请勿移动或改写"
        "（工作表保护没有密码，填写不需要解除保护）。",
        f"“{year - 1} 年（上年）”列是上年报告中的数据，如已预填请核对；如有更正请直接修改并告知编制组。",
        f"人数等计数填整数；{L.PERCENT_NOTE}；金额按指标单位填写。"
        "选中单元格时会显示指标定义和单位，填写不符合要求时 Excel/WPS 会拒绝。",
        "不掌握的数据请留空（报告中显示为 —），确为零时填 0。",
        "专业设置、案例、图片各占一个工作表，每行一条；图片文件放在 图片 文件夹，并在“文件”列写明文件名。",
        "请勿改动“基本信息”中的学校和年度：系统据此核对文件是否放错。",
        *notes,
        "各工作表已设好 A4 打印格式（每页重复表头，页脚有页码），可直接打印出来核对。",
        "填好后用 Excel 或 WPS 保存为 .xlsx 提交。编制组会据此生成“数据确认表”，列出报告将印出的"
        "贵校数据，请核对后由填表人和学校负责人签字、加盖公章寄回；确认后如再修改数据表，需重新确认。",
    ]
    if contact:
        lines.append(f"有疑问请联系：{contact}")
    title = f"{school.full}（{school.short}）{year} 年度质量报告数据表"
    return [title] + [f"{n}. {line}" for n, line in enumerate(lines, start=1)]


def write_school(
    path: Path,
    cat: Catalog,
    school: School,
    year: int,
    values: Values | None = None,
    lists: Lists | None = None,
    contact: str = "",
    notes: Sequence[str] = (),
    sections: Sequence[Section] = (),
    *,
    within: Path | None = None,
    exclusive: bool = False,
) -> bool:
    """Write a school workbook laid out from the catalog (atomically); see :func:`save_atomic`.

    ``contact`` and ``notes`` go into the 填表说明 sheet (whom to ask; what was carried over);
    ``sections``, the chapters the templates have room for, become the 章节 drop-down.
    """
    wb = Workbook()
    _guide_sheet(wb, school_guide(school, year, contact, notes))
    wb.remove(wb.worksheets[0]) if wb.worksheets[0].title == "Sheet" else None
    info = {"school": school.short, "school_full": school.full, "year": year}
    _info_sheet(wb.create_sheet(L.INFO_SHEET, 0), L.SCHOOL_INFO, info, {"school", "year"})
    for sheet_name, inds in L.school_sheets(cat):
        ws = wb.create_sheet(sheet_name)
        _indicator_sheet(ws, cat, inds, L.indicator_headers(year), values or {}, L.PERIOD_COL)
    source = sections_sheet(wb, sections)
    for list_id in L.LIST_SHEETS.school:
        spec = cat.list(list_id)
        rows = (lists or {}).get(list_id, [])
        _list_sheet(wb.create_sheet(spec.sheet), spec, year, rows, source)
    sections_last(wb)
    _printable(wb, f"{school.full}　{year} 年度质量报告数据表")
    return save_atomic(wb, path, within, exclusive=exclusive)


def _printable(wb: Workbook, title: str) -> None:
    """Every sheet prints on A4 with its header row on each page (see :mod:`.printing`)."""
    for ws in wb.worksheets:
        fit_row_heights(ws)
        set_up_printing(ws, title, header_rows=0 if ws.title == GUIDE_SHEET else 1)


def write_city(
    path: Path,
    cat: Catalog,
    city: CityData,
    year: int,
    values: Values | None = None,
    published: Sequence[dict[str, Scalar]] = (),
    lists: Lists | None = None,
    sections: Sequence[Section] = (),
    *,
    within: Path | None = None,
    exclusive: bool = False,
) -> bool:
    """Write the bureau's workbook (市级.xlsx); see :func:`save_atomic`. ``sections`` as for
    :func:`write_school`."""
    wb = Workbook()
    ws = wb.active
    ws.title = L.INFO_SHEET
    info: dict[str, Scalar] = {
        "region": city.region,
        "region_full": city.region_full,
        "code": city.code,
        "bureau": city.bureau,
        "year": year,
        "reviewers": city.reviewers,
        "declaration_date": _date_text(city.declaration_date, day=True),
        "publish_date": _date_text(city.publish_date, day=False),
        "province": city.province,
    }
    for key, default in L.LIMITS.items():
        limit = city.limits.get(key)
        info[key] = default if limit is None else limit.value
    _info_sheet(ws, L.CITY_INFO, info, {"year"})
    info_notes(ws, L.CITY_INFO)
    team = wb.create_sheet(L.TEAM_SHEET)
    _rows_sheet(team, L.TEAM_HEADERS, [(m.role, m.name, m.title) for m in city.team], (14, 12, 40))
    team_prompts(team)
    _registry_sheet(wb.create_sheet(L.REGISTRY_SHEET), city)
    inds = L.city_indicators(cat)
    rules = {i.key: i.city.describe() + (f"（{i.city.note}）" if i.city.note else "") for i in inds}
    ws = wb.create_sheet(L.CITY_VALUES_SHEET)
    _indicator_sheet(
        ws, cat, inds, L.city_value_headers(year), values or {}, L.CITY_PERIOD_COL, None
    )
    for offset, ind in enumerate(inds):
        ws[f"D{L.FIRST_ROW + offset}"] = rules[ind.key]
        ws[f"G{L.FIRST_ROW + offset}"] = L.note(ind)
    ws.column_dimensions["D"].width, ws.column_dimensions["F"].width = 30, 16
    _rows_sheet(
        wb.create_sheet(L.PUBLISHED_SHEET),
        L.PUBLISHED_HEADERS,
        [
            tuple(p.get(k) for k in ("table", "key", "school", "year", "value", "note"))
            for p in published
        ],
        (8, 22, 14, 8, 12, 30),
    )
    source = sections_sheet(wb, sections)
    for list_id in L.LIST_SHEETS.city:
        spec = cat.list(list_id)
        rows = (lists or {}).get(list_id, [])
        _list_sheet(wb.create_sheet(spec.sheet), spec, year, rows, source)
    _selection_sheet(wb.create_sheet(L.SELECTION_SHEET))
    sections_last(wb)
    _printable(wb, f"{city.region_full or city.region}　{year} 年度市级数据表")
    return save_atomic(wb, path, within, exclusive=exclusive)


def _selection_sheet(ws: Worksheet) -> None:
    """案例与图片遴选, empty: check fills in a row for each case and photo the schools submit."""
    _header(ws, L.SELECTION_HEADERS, (12, 6, 9, 44, 7, 7, 12, 7, 12, 30, 24))
    ws.column_dimensions["I"].number_format = "@"  # section numbers such as 1.10 stay text
    chosen = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    chosen.error, chosen.showErrorMessage = "请从下拉列表中选择", True
    chosen.prompt, chosen.showInputMessage = "填“是”收入全市报告，填“否”不收入；空白按默认", True
    chosen.add(f"G2:G{LIST_ROWS * 5}")
    ws.add_data_validation(chosen)


def _rows_sheet(
    ws: Worksheet, headers: Sequence[str], rows: Iterable[Sequence[Scalar]], widths: Sequence[int]
) -> None:
    _header(ws, headers, widths)
    for row in rows:
        ws.append(list(row))
    for r in range(2, ws.max_row + 1):
        for c in range(1, len(headers) + 1):
            ws.cell(row=r, column=c).protection = UNLOCKED
    for c in range(1, len(headers) + 1):
        ws.column_dimensions[get_column_letter(c)].protection = UNLOCKED  # rows added later
    _protect(ws, rows=True)


def _registry_sheet(ws: Worksheet, city: CityData) -> None:
    """The schools, and the version of its workbook each one signed for (typed as text)."""
    rows = []
    for i, s in enumerate(city.registry, start=1):
        confirmed = city.confirmed.get(s.short)
        signed = confirmed.value if confirmed is not None else None
        contact = city.contacts.get(s.short, ("", ""))
        rows.append(
            (i, s.short, s.full, "、".join(s.aliases), signed, *(c or None for c in contact))
        )
    headers = (*L.REGISTRY_HEADERS, L.CONFIRMED_HEADER, *L.CONTACT_HEADERS)
    _rows_sheet(ws, headers, rows, (6, 14, 36, 30, 18, 12, 16))
    column = get_column_letter(len(L.REGISTRY_HEADERS) + 1)
    phone = get_column_letter(len(headers))
    # Text, so that Excel keeps a fingerprint such as 12345e67 (or a phone number's leading 0)
    # as typed, not as a number.
    for letter in (column, phone):
        ws.column_dimensions[letter].number_format = "@"
        for r in range(2, ws.max_row + 1):
            ws[f"{letter}{r}"].number_format = "@"
    contact = DataValidation(type=None)
    contact.add(f"{get_column_letter(len(headers) - 1)}1:{phone}{LIST_ROWS}")
    contact.promptTitle = "联系人"
    contact.prompt = (
        "学校负责报送数据的联系人和电话（可不填）；收表登记的“催报”表列出未交或有错误的学校时使用"
    )
    contact.showInputMessage = True
    ws.add_data_validation(contact)
    dv = DataValidation(type=None)
    dv.add(f"{column}1:{column}{LIST_ROWS}")
    dv.promptTitle = L.CONFIRMED_HEADER
    dv.prompt = "学校签字盖章的数据确认表上印的版本指纹（至少前 8 位）；空白表示尚未确认"
    dv.showInputMessage = True
    ws.add_data_validation(dv)


def _date_text(value, day: bool) -> str | None:
    if value is None:
        return None
    return (
        f"{value.year}年{value.month}月{value.day}日" if day else f"{value.year}年{value.month}月"
    )


def save_atomic(
    wb: Workbook, path: Path, within: Path | None = None, *, exclusive: bool = False
) -> bool:
    """Save via a temporary file beside ``path``: never a half-written workbook.

    ``path`` must lie in ``within`` (by default its own folder); ``exclusive``: only when
    no file has its name yet (False returned when one has). See :mod:`docxreport.atomic`.
    Every string is written as text, never as a formula (see :mod:`.textcells`).
    """
    keep_all_text(wb)
    return write_atomically(
        lambda tmp: wb.save(tmp), path, within or path.parent, exclusive=exclusive
    )

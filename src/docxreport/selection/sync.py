"""Keeping 市级.xlsx › 案例与图片遴选 up to date with what the schools submitted.

:func:`sync_selection` is the library entry point (``check`` calls it, and so may any
command that collects workbooks). It reads the sheet afresh from the bytes it is about to
patch, pairs it with the submissions, and writes it back only when something changed:

- the group's columns (入选全市报告, 顺序, 全市报告章节, 备注) of every row are kept as typed;
- a new submission gets a row at the end; a row whose submission is gone is kept and
  marked 已撤下 while it holds any of the group's input, and removed otherwise;
- the columns taken from the workbooks (章节, 字数, 照片数, 状态) are brought up to date.

The workbook is never written while Excel/WPS has it open (its ``~$`` lock file is
there), nor when it changed on disk while the sheet was being prepared: the write is
atomic, and every other part of the workbook is copied byte for byte
(:mod:`docxreport.workbook.sheetpatch`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docxreport import layout as L
from docxreport.atomic import write_atomically
from docxreport.errors import OutputError
from docxreport.finish.manifest import lock_files
from docxreport.model import Choice, CityData, Scalar, SchoolData
from docxreport.normalize import cell_text
from docxreport.selection.choose import CASE, Line, Selection, select
from docxreport.workbook.read import Book, parsed_cells
from docxreport.workbook.selection import read_choices
from docxreport.workbook.sheetpatch import SheetSpec, put_sheet

SPEC = SheetSpec(
    widths=(12, 6, 9, 44, 7, 7, 12, 7, 12, 30, 24),
    text_columns="I",
    choices=(("G", ("是", "否"), "填“是”收入全市报告，填“否”不收入；空白按默认（见状态列）"),),
    prompts=(
        ("H", "顺序", "同一章节中按此数字从小到大排列；空白的排在后面"),
        ("I", "全市报告章节", "放到全市报告的哪一节（如 3.5）；空白为学校填的章节"),
    ),
)


@dataclass
class Synced:
    """What :func:`sync_selection` did."""

    path: Path
    selection: Selection | None = None
    written: bool = False
    reason: str = ""  # why the sheet was not written although it should have been

    def line(self) -> str:
        """One line for the console, in Chinese."""
        where = f"{L.CITY_FILE} › {L.SELECTION_SHEET}"
        sel = self.selection
        if sel is None:
            return f"{where}：{self.reason}" if self.reason else ""
        change = []
        if sel.added:
            change.append(f"新增 {sel.added} 行")
        if sel.dropped:
            change.append(f"移除 {sel.dropped} 行（已撤下且未选择）")
        if self.written:
            return f"已更新 {where}：{'、'.join(change) or '更新了字数、照片数或状态'}"
        if self.reason:
            return f"未更新 {where}：{self.reason}"
        return f"{where} 与各校提交的案例和图片一致，未改动"


def table_rows(lines: Sequence[Line]) -> list[list[Scalar]]:
    """The sheet's rows (header first) for ``lines``."""
    rows: list[list[Scalar]] = [list(L.SELECTION_HEADERS)]
    for line in lines:
        sub = line.submission
        chars = sub.chars if sub is not None and line.kind == CASE else line.kept[0]
        photos = sub.photos if sub is not None else line.kept[1]
        rows.append(
            [
                line.owner,
                line.kind,
                line.section,
                line.title,
                chars,
                photos,
                line.chosen,
                line.order,
                line.target,
                line.status,
                line.note,
            ]
        )
    return rows


def _same(value: Scalar) -> Scalar:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return cell_text(value)
    return None if value == "" else value


def _as_read(choices: Sequence[Choice]) -> list[list[Scalar]]:
    return [
        [
            c.owner,
            c.kind,
            c.section,
            c.title,
            c.chars,
            c.photos,
            c.chosen.value,
            c.order.value,
            c.target.value,
            c.status,
            c.note.value,
        ]
        for c in choices
    ]


def _unchanged(choices: list[Choice] | None, rows: list[list[Scalar]]) -> bool:
    if choices is None:
        return False
    norm = [[_same(v) for v in row] for row in rows[1:]]
    return norm == [[_same(v) for v in row] for row in _as_read(choices)]


def sync_selection(folder: Path, city: CityData, schools: Sequence[SchoolData]) -> Synced:
    """Bring the year ``folder``'s 市级.xlsx › 案例与图片遴选 up to date (see the module).

    ``city`` and ``schools`` are the workbooks as read (``load_year``'s ``Loaded.city``
    and ``Loaded.schools``); the sheet itself is read again here.
    """
    path = folder / L.CITY_FILE
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Synced(path, reason=f"无法读取：{exc.strerror}")
    cells = parsed_cells(data)
    if isinstance(cells, list):
        return Synced(path, reason="市级数据表无法读取，见上面的错误")
    book = Book(L.CITY_FILE, cells)
    choices = read_choices(book)
    if book.issues:  # a moved header: the sheet is left as it is (check reports it)
        return Synced(path, reason=book.issues[0].message)
    sel = select(dataclasses.replace(city, choices=choices), schools)
    rows = table_rows(sel.lines)
    if _unchanged(choices, rows):
        return Synced(path, sel)
    locks = lock_files(path)
    if locks:
        return Synced(
            path,
            sel,
            reason=f"文件正被 Excel/WPS 打开（发现 {locks[0].name}），请保存并关闭后重新运行 docxreport check",
        )
    patched = put_sheet(data, L.SELECTION_SHEET, rows, SPEC, header_like=L.REGISTRY_SHEET)

    def write(tmp: Path) -> None:
        tmp.write_bytes(patched)
        if path.read_bytes() != data:
            raise _Moved

    try:
        write_atomically(write, path, path.parent)
    except _Moved:
        return Synced(path, sel, reason="文件在更新期间被修改，未写入；请重新运行 docxreport check")
    except OutputError as exc:
        return Synced(path, sel, reason=str(exc))
    return Synced(path, sel, written=True)


class _Moved(Exception):
    """The workbook changed on disk while its sheet was being prepared."""

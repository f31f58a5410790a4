"""Reading the city report's selection (案例与图片遴选) and limits from the city workbook."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docxreport import layout as L
from docxreport.issues import Issue, error
from docxreport.model import Choice, Location, Value
from docxreport.normalize import cell_text, parse_number

if TYPE_CHECKING:
    from docxreport.workbook.read import Book


def read_limits(book: Book, info: dict[str, Value]) -> dict[str, Value]:
    """The limits of 基本信息: a row left blank is no limit, a row missing gets the default."""
    limits: dict[str, Value] = {}
    for key, default in L.LIMITS.items():
        cell = info.get(key)
        if cell is None:
            limits[key] = Value(default, Location(book.rel, L.INFO_SHEET))
            continue
        parsed = parse_number(cell.value, "count")
        if parsed.error or (parsed.value is not None and parsed.value < 1):
            label = dict(L.CITY_INFO)[key]
            book.issues.append(error(cell.loc, f"“{label}”应填不小于 1 的整数，或留空表示不限"))
            limits[key] = Value(None, cell.loc, invalid=True)
            continue
        limits[key] = Value(parsed.value, cell.loc)
    return limits


def read_choices(book: Book) -> list[Choice] | None:
    """The rows of 案例与图片遴选, or None when the workbook has no such sheet (yet)."""
    if L.SELECTION_SHEET not in book.values.sheetnames:
        return None
    ws = book.sheet(L.SELECTION_SHEET)
    if ws is None:
        return None
    wrong = _header_problem(book, ws)
    if wrong is not None:
        book.issues.append(wrong)
        return None
    choices = []
    for r in range(2, ws.max_row + 1):

        def text(col: str, r: int = r) -> str:
            return cell_text(book.raw(ws, f"{col}{r}")) or ""

        def value(col: str, r: int = r) -> Value:
            raw = book.raw(ws, f"{col}{r}")
            return Value(cell_text(raw) if isinstance(raw, str) else raw, book.loc(ws, f"{col}{r}"))

        owner, kind, title = text("A"), text("B"), text("D")
        group = [value(c) for c in L.SELECTION_GROUP_COLUMNS]
        if not (owner or title) and all(v.empty for v in group):
            continue
        choices.append(
            Choice(
                row=r,
                owner=owner,
                kind=kind,
                section=text("C"),
                title=title,
                chosen=group[0],
                order=group[1],
                target=group[2],
                note=group[3],
                chars=book.raw(ws, f"E{r}"),
                photos=book.raw(ws, f"F{r}"),
                status=text("J"),
            )
        )
    return choices


def _header_problem(book: Book, ws) -> Issue | None:
    for c, want in enumerate(L.SELECTION_HEADERS, start=1):
        cell = ws.cell(row=1, column=c)
        got = cell_text(cell.value) or ""
        if got != want:
            return error(
                book.loc(ws, cell.coordinate),
                f"表头应为“{want}”，实际为“{got}”；请把表头改回原样（这张表由 check 维护）",
            )
    return None

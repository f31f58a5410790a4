"""Which cases and photos the city report prints (遴选): pure, no file read or written.

Every case and every photo that stands on its own (not in a case) that the schools and the
bureau submitted is a :class:`Submission`. The city workbook's 案例与图片遴选 sheet holds
one row per submission (:class:`~docxreport.model.Choice`, as read); :func:`select` pairs
rows and submissions, keeps the group's columns of every row, adds a row for each new
submission, flags rows whose submission is gone, and decides what the city report prints:

- a row marked 是 is printed, a row marked 否 is not;
- a blank row follows the default: until the group marks any row 是, every submission is
  printed when all of them fit the limits of 基本信息; otherwise (or once the group has
  chosen) a blank row of a school is not printed. The bureau's own cases and photos
  (市级.xlsx's 案例 and 图片 sheets) are printed unless marked 否.

School reports are not concerned: each prints all of its own cases and photos.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from docxreport import layout as L
from docxreport.model import Choice, CityData, Location, Row, Scalar, SchoolData

CASE, PHOTO = "案例", "图片"
YES, NO = "是", "否"
_YES = {"是", "y", "yes", "√", "✓", "✔", "1", "入选", "true"}
_NO = {"否", "n", "no", "×", "✗", "x", "0", "不入选", "false"}
_SECTION = re.compile(r"^\d+(\.\d+)*$")


def _text(row: Row, key: str) -> str:
    cell = row.get(key)
    return "" if cell is None or cell.value is None else str(cell.value).strip()


@dataclass(frozen=True)
class Submission:
    """A case (with its photos) or a photo standing on its own, as a workbook holds it."""

    owner: str  # a school's short name, or layout.CITY_OWNER for the bureau's own
    kind: str  # 案例 or 图片
    section: str
    title: str  # the case's title or the photo's caption
    chars: int | None  # characters of a case's text (no spaces)
    photos: int
    loc: Location  # the title (caption) cell
    row: Row
    photo_rows: tuple[Row, ...] = ()  # a case's photos, in the workbook's order

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.owner, self.kind, self.title)


def submissions(city: CityData, schools: Sequence[SchoolData]) -> list[Submission]:
    """Every case and loose photo: the bureau's first, then the schools in registry order."""
    owners = [(L.CITY_OWNER, city.lists)]
    owners += [(sd.school.short, sd.lists) for sd in sorted(schools, key=lambda s: s.school.order)]
    found: list[Submission] = []
    for owner, lists in owners:
        cases = lists.get("cases", [])
        titles = {_text(row, "title") for row in cases}
        in_case: dict[str, list[Row]] = {}
        loose: list[Row] = []
        for row in lists.get("photos", []):
            case = _text(row, "case")
            if not case:
                loose.append(row)
            elif case in titles:  # a photo of no case prints nowhere (check says so)
                in_case.setdefault(case, []).append(row)
        for row in cases:
            title = _text(row, "title")
            own = tuple(in_case.get(title, ()))
            chars = len(re.sub(r"\s", "", _text(row, "text")))
            found.append(
                Submission(
                    owner,
                    CASE,
                    _text(row, "section"),
                    title,
                    chars,
                    len(own),
                    row["title"].loc,
                    row,
                    own,
                )
            )
        for row in loose:
            found.append(
                Submission(
                    owner,
                    PHOTO,
                    _text(row, "section"),
                    _text(row, "caption"),
                    None,
                    1,
                    row["caption"].loc,
                    row,
                )
            )
    return found


@dataclass
class Line:
    """One row of the selection after pairing: its submission (None: gone) and the group's
    columns as they stand (kept as typed)."""

    owner: str
    kind: str
    section: str
    title: str
    submission: Submission | None
    chosen: Scalar = None
    order: Scalar = None
    target: Scalar = None
    note: Scalar = None
    row: int = 0  # its row in the sheet once written
    status: str = ""
    included: bool = False
    held: bool = False  # its school's workbook was not read this time: the row stays as it is
    kept: tuple[Scalar, Scalar] = (None, None)  # a held row's 字数 and 照片数

    @property
    def decided(self) -> str:
        """是, 否 or "" (blank or not understood)."""
        word = str(self.chosen or "").strip().lower()
        return YES if word in _YES else NO if word in _NO else ""

    @property
    def chapter_section(self) -> str:
        """The section it is printed in: 全市报告章节 when the group set one."""
        target = str(self.target or "").strip()
        return target if _SECTION.match(target) else self.section

    @property
    def chapter(self) -> str:
        return self.chapter_section.split(".")[0]

    @property
    def photos(self) -> int:
        return self.submission.photos if self.submission else 0

    @property
    def rank(self) -> float:
        """顺序 as a number (typed as text or not); blank or not a number: last."""
        return _number(self.order)

    def has_group_input(self) -> bool:
        return any(v not in (None, "") for v in (self.chosen, self.order, self.target, self.note))


def _number(value: Scalar) -> float:
    if _is_number(value):
        return float(value)  # type: ignore[arg-type]
    try:
        return float(str(value).strip())
    except ValueError:
        return float("inf")


def _is_number(value: Scalar) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass
class Selection:
    """The selection sheet after pairing, and what the city report prints."""

    lines: list[Line]
    limits: dict[str, int | None]
    chosen_any: bool = False
    default_all: bool = False
    added: int = 0  # rows added for new submissions
    dropped: int = 0  # rows removed: gone, and nothing of the group's in them

    def included(self) -> list[Line]:
        """The printed lines, each section's in the group's order (顺序, then the sheet's)."""
        chosen = [line for line in self.lines if line.included]
        return sorted(chosen, key=lambda line: (line.rank, line.row))

    def counts(self) -> tuple[int, int]:
        """(cases, photos) the city report prints; a case's photos count as photos."""
        chosen = self.included()
        return (
            sum(line.kind == CASE for line in chosen),
            sum(line.photos for line in chosen),
        )

    def submitted(self) -> tuple[int, int]:
        lines = [line for line in self.lines if line.submission is not None]
        return sum(line.kind == CASE for line in lines), sum(line.photos for line in lines)


def pair(
    choices: Sequence[Choice], found: Sequence[Submission], unread: frozenset[str] = frozenset()
) -> tuple[list[Line], int, int]:
    """Rows paired with submissions by (学校, 类型, 标题), the n-th row with the n-th
    submission of the same key; new submissions appended in workbook order. The rows of
    the ``unread`` schools (no workbook, or one that cannot be read) stay as they are.
    Returns the lines, how many were added and how many dropped."""
    waiting: dict[tuple[str, str, str], list[Submission]] = {}
    for sub in found:
        waiting.setdefault(sub.key, []).append(sub)
    lines: list[Line] = []
    dropped = 0
    for c in choices:
        queue = waiting.get((c.owner, c.kind, c.title))
        sub = queue.pop(0) if queue else None
        line = Line(
            c.owner,
            c.kind,
            c.section,
            c.title,
            sub,
            c.chosen.value,
            c.order.value,
            c.target.value,
            c.note.value,
        )
        if c.owner in unread:
            line.held, line.kept = True, (c.chars, c.photos)
        elif sub is None and not line.has_group_input():
            dropped += 1  # gone, and the group had said nothing about it
            continue
        if sub is not None:
            line.section = sub.section
        lines.append(line)
    added = 0
    for sub in found:
        queue = waiting.get(sub.key)
        if queue and queue[0] is sub:
            queue.pop(0)
            lines.append(Line(sub.owner, sub.kind, sub.section, sub.title, sub))
            added += 1
    for n, line in enumerate(lines, start=2):
        line.row = n
    return lines, added, dropped


def limits_of(city: CityData) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for key, default in L.LIMITS.items():
        cell = city.limits.get(key)
        value = default if cell is None else cell.value
        out[key] = int(value) if _is_number(value) else None
    return out


def select(city: CityData, schools: Sequence[SchoolData]) -> Selection:
    """Pair the sheet with the submissions and decide what the city report prints.

    The rows of a registered school whose workbook was not read are kept unchanged.
    """
    read = {sd.school.short for sd in schools}
    unread = frozenset(s.short for s in city.registry if s.short not in read)
    lines, added, dropped = pair(city.choices or [], submissions(city, schools), unread)
    sel = Selection(lines, limits_of(city), added=added, dropped=dropped)
    present = [line for line in lines if line.submission is not None]
    sel.chosen_any = any(line.decided == YES for line in present)
    candidates = [line for line in present if line.decided != NO]
    sel.default_all = not sel.chosen_any and not _over_limits(candidates, sel.limits)
    for line in lines:
        line.included = line.submission is not None and (
            line.decided == YES
            or (
                line.decided == ""
                and (sel.default_all or (line.owner == L.CITY_OWNER and not sel.chosen_any))
            )
        )
        line.status = _status(line, sel)
    return sel


def _status(line: Line, sel: Selection) -> str:
    if line.held:
        return "学校工作簿未交或无法读取，本行暂按原样保留"
    if line.submission is None:
        what = "案例" if line.kind == CASE else "图片"
        return f"已撤下：学校工作簿中已没有这个{what}"
    if line.decided or (line.owner == L.CITY_OWNER and line.included):
        return ""
    return "按默认入选" if line.included else "待遴选"


def over_limits(lines: Sequence[Line], limits: dict[str, int | None]) -> list[str]:
    """What in ``lines`` exceeds the limits, in words (empty: within every limit)."""
    cases = [line for line in lines if line.kind == CASE]
    found = []
    most = limits.get("max_cases")
    if most is not None and len(cases) > most:
        found.append(f"案例 {len(cases)} 个，超过上限 {most} 个")
    per = limits.get("max_cases_per_chapter")
    if per is not None:
        by_chapter: dict[str, int] = {}
        for line in cases:
            by_chapter[line.chapter] = by_chapter.get(line.chapter, 0) + 1
        for chapter, n in sorted(by_chapter.items(), key=lambda kv: _chapter_key(kv[0])):
            if n > per:
                found.append(f"第 {chapter} 章案例 {n} 个，超过每章上限 {per} 个")
    photos = sum(line.photos for line in lines)
    most = limits.get("max_photos")
    if most is not None and photos > most:
        found.append(f"照片 {photos} 张，超过上限 {most} 张")
    per = limits.get("max_photos_per_case")
    if per is not None:
        many = [line for line in cases if line.photos > per]
        if many:
            found.append(f"{len(many)} 个案例的照片超过每个案例 {per} 张")
    return found


def _over_limits(lines: Sequence[Line], limits: dict[str, int | None]) -> bool:
    return bool(over_limits(lines, limits))


def _chapter_key(chapter: str) -> tuple[int, str]:
    return (int(chapter), "") if chapter.isdigit() else (10**6, chapter)

"""The receipt and reminder list kept across collections (收表登记.xlsx).

Receipts accumulate: a file received again with the same content from the same
place is not listed twice, so collecting one batch twice adds nothing. Reminders
(催报) are made afresh from the check: every school that has not returned its
workbook, or whose workbook has errors, with whom to phone. The list is written
only when it changed; a 备注 staff typed stays with its row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docxreport.checks.progress import MISSING, UNREADABLE, SchoolProgress
from docxreport.collect.place import backup_name, locked
from docxreport.collect.results import Collected, Received
from docxreport.errors import OutputError
from docxreport.model import CityData, SchoolData
from docxreport.workbook import register as W

FILE = "收表登记.xlsx"


@dataclass(frozen=True)
class Written:
    """What became of the list: ``path`` written or not, and a Chinese note."""

    path: Path
    written: bool
    note: str = ""
    reminders: int = 0


def _when(r: Received, at: str) -> tuple[str, ...]:
    saved = f"{r.saved:%Y-%m-%d %H:%M}" if r.saved else ""
    return (
        at,
        r.source,
        r.kind,
        r.school,
        saved,
        r.digest[:12],
        r.status,
        r.message,
        r.placed,
        r.fingerprint[:12],
    )


def receipt_rows(old: list[dict[str, str]], done: Collected) -> list[tuple[str, ...]]:
    """The earlier receipts, then this batch's files not already listed."""
    rows = [tuple(row[h] for h in W.RECEIPT_HEADERS) for row in old]
    seen = {(row["来源文件"], row["内容校验"]) for row in old}
    at = f"{done.at:%Y-%m-%d %H:%M}"
    for r in done.received:
        key = (r.source, r.fingerprint[:12])
        if key in seen:
            continue
        seen.add(key)
        rows.append((*_when(r, at), ""))
    return rows


@dataclass(frozen=True)
class Earlier:
    """Contacts from last year's workbooks (short name → (填表人, 联系电话)), and that year."""

    year: int = 0
    contacts: Mapping[str, tuple[str, str]] = field(default_factory=dict)


def _contact(
    short: str, city: CityData, schools: dict[str, SchoolData], earlier: Earlier
) -> tuple[str, str, str]:
    """Whom to phone: this year's 基本信息, else the registry, else last year's 基本信息."""
    sd = schools.get(short)
    if sd is not None and (sd.contact or sd.phone):
        return sd.contact, sd.phone, "本校工作簿"
    name, phone = city.contacts.get(short, ("", ""))
    if name or phone:
        return name, phone, "学校名册"
    name, phone = earlier.contacts.get(short, ("", ""))
    if name or phone:
        return name, phone, f"{earlier.year} 年工作簿"
    return "", "", "（未填写）"


def needs_contact(progress: Sequence[SchoolProgress]) -> list[str]:
    """The schools the reminder list names."""
    return [p.school.short for p in progress if p.state in (MISSING, UNREADABLE) or p.errors]


def reminder_rows(
    progress: Sequence[SchoolProgress],
    city: CityData,
    schools: Sequence[SchoolData],
    receipts: list[tuple[str, ...]],
    old: list[dict[str, str]],
    earlier: Earlier = Earlier(),
) -> list[tuple[object, ...]]:
    """One row per school to phone: not returned, unreadable, or with errors."""
    notes = {row["学校"]: row[W.NOTE] for row in old}
    last: dict[str, str] = {}
    for row in receipts:
        if row[3]:
            last[row[3]] = max(last.get(row[3], ""), row[0])
    by_short = {sd.school.short: sd for sd in schools}
    rows: list[tuple[object, ...]] = []
    wanted = set(needs_contact(progress))
    for p in progress:
        if p.school.short not in wanted:
            continue
        short = p.school.short
        state = p.state if p.state in (MISSING, UNREADABLE) else f"有 {p.errors} 个错误"
        name, phone, source = _contact(short, city, by_short, earlier)
        counts = ("", "") if p.state == MISSING else (p.errors, p.blank)
        rows.append(
            (
                len(rows) + 1,
                short,
                p.school.full,
                state,
                *counts,
                name,
                phone,
                source,
                last.get(short, ""),
                notes.get(short, ""),
            )
        )
    return rows


def update_register(
    path: Path,
    done: Collected,
    progress: Sequence[SchoolProgress],
    city: CityData,
    schools: Sequence[SchoolData],
    title: str,
    earlier: Earlier = Earlier(),
) -> Written:
    """Add this batch's receipts to the list at ``path`` and renew its reminders."""
    old, problem = W.read_rows(path)
    note = ""
    if problem:
        kept = backup_name(path, done.at)
        path.rename(kept)
        note = f"原有的 {path.name} 无法读取（{problem}），已改名为 {kept.name} 保存，另写新表"
    receipts = receipt_rows(old.get(W.RECEIPTS, []), done)
    reminders = reminder_rows(progress, city, schools, receipts, old.get(W.REMINDERS, []), earlier)
    same = _same(old, receipts, reminders)
    if same:
        return Written(path, False, note, len(reminders))
    reason = locked(path)
    if reason:
        raise OutputError(
            f"{FILE} 未更新：{reason}；关闭后用同样的文件再运行一次 collect 即可补登（已收好的不会重复写入）"
        )
    W.write_register(path, title, receipts, reminders)
    return Written(path, True, note, len(reminders))


def _same(old: dict, receipts: list, reminders: list) -> bool:
    if not old:
        return False
    was = [tuple(r[h] for h in W.REMINDER_HEADERS) for r in old.get(W.REMINDERS, [])]
    now = [tuple(W.as_text(v) for v in row) for row in reminders]
    if not reminders:
        was = [w for w in was if w[0]]  # the "all returned" line has no number
    old_receipts = [tuple(r[h] for h in W.RECEIPT_HEADERS) for r in old.get(W.RECEIPTS, [])]
    return old_receipts == receipts and was == now

"""Signed confirmations: does the version a school signed for match its workbook today?

``docxreport confirm`` prints each school's 数据确认表 with the version fingerprint
of the workbook it was made from. Once the school has signed and stamped it, the
bureau types that fingerprint (or its first 8 or more characters) into the
registry's 已确认版本 column. Pure: from the read city and school data to a status
per school and located issues.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from docxreport import layout as L
from docxreport.issues import Issue, warning
from docxreport.model import CityData, Location, School, SchoolData
from docxreport.text import display_width

MIN_PREFIX = 8  # the shortest fingerprint prefix staff may type
SHORT = 12  # characters of the short form printed on the form
_HEX = re.compile(r"[0-9a-f]+")

CONFIRMED, OUTDATED, UNCONFIRMED, UNREADABLE, NO_WORKBOOK = (
    "已确认",
    "已过期",
    "未确认",
    "无法识别",
    "无工作簿",
)


def short_form(digest: str) -> str:
    """The fingerprint as staff type it: its first characters."""
    return digest[:SHORT]


def grouped(digest: str) -> str:
    """The full fingerprint in groups of eight, for reading aloud or comparing by eye."""
    return " ".join(digest[i : i + 8] for i in range(0, len(digest), 8))


def parse_recorded(raw: object) -> str | None:
    """The fingerprint typed in a registry cell, lower case without spaces; None: not one."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int):
        raw = str(raw)
    if not isinstance(raw, str):
        return None
    text = "".join(unicodedata.normalize("NFKC", raw).split()).lower()
    if len(text) < MIN_PREFIX or len(text) > 64 or not _HEX.fullmatch(text):
        return None
    return text


@dataclass(frozen=True)
class Confirmation:
    """One school's confirmation: ``state`` is one of the five states above."""

    school: School
    state: str
    file: str = ""  # the school's workbook, relative to the year folder
    current: str = ""  # the workbook's fingerprint now
    recorded: str = ""  # what the registry holds, as typed
    loc: Location | None = None  # the registry cell

    def brief(self) -> str:
        """The state in a few words, for the school's line of the progress summary."""
        if self.state == CONFIRMED:
            return f"已确认（版本 {self.recorded}）"
        if self.state == OUTDATED:
            return f"已过期（签字版本 {self.recorded}，当前 {short_form(self.current)}）"
        if self.state == UNCONFIRMED:
            return f"未确认（当前版本 {short_form(self.current)}）"
        if self.state == UNREADABLE:
            return "无法识别（按未确认处理）"
        return "无工作簿"

    def line(self) -> str:
        """One line of the summary, in Chinese."""
        now = f"当前工作簿版本 {short_form(self.current)}" if self.current else ""
        if self.state == CONFIRMED:
            return f"已确认：签字的版本 {self.recorded} 与当前工作簿一致"
        if self.state == OUTDATED:
            return f"已过期：签字的版本 {self.recorded} 与{now} 不符，{self.file} 在确认后有改动"
        if self.state == UNREADABLE:
            return f"无法识别：{self.loc} 中的“{self.recorded}”不是版本指纹，按未确认处理（{now}）"
        if self.state == NO_WORKBOOK:
            return (
                f"无工作簿：{self.file or L.SCHOOL_DIR + '/' + self.school.filename} 缺少或无法读取"
            )
        return f"未确认：学校名册中没有已确认版本（{now}）"


def _state(recorded: str | None, typed: object, current: str) -> str:
    if typed is None:
        return UNCONFIRMED
    if recorded is None:
        return UNREADABLE
    return CONFIRMED if current.startswith(recorded) else OUTDATED


def confirmations(
    city: CityData, schools: Sequence[SchoolData]
) -> tuple[list[Confirmation], list[Issue]]:
    """Each registered school's confirmation, in registry order, and the issues to report.

    An out-of-date confirmation and a registry cell that holds no fingerprint are warnings
    at the registry cell; a school with no confirmation yet is only listed.
    """
    by_short = {sd.school.short: sd for sd in schools}
    out: list[Confirmation] = []
    issues: list[Issue] = []
    for school in city.registry:
        cell = city.confirmed.get(school.short)
        typed = None if cell is None else cell.value
        loc = None if cell is None else cell.loc
        sd = by_short.get(school.short)
        shown = "" if typed is None else str(typed)
        if sd is None or not sd.digest:
            out.append(Confirmation(school, NO_WORKBOOK, sd.file if sd else "", "", shown, loc))
            continue
        recorded = parse_recorded(typed)
        state = _state(recorded, typed, sd.digest)
        conf = Confirmation(school, state, sd.file, sd.digest, recorded or shown, loc)
        out.append(conf)
        if state == OUTDATED and loc is not None:
            issues.append(warning(loc, _outdated_message(conf)))
        elif state == UNREADABLE and loc is not None:
            issues.append(warning(loc, _unreadable_message(typed)))
    return out, issues


def _outdated_message(conf: Confirmation) -> str:
    return (
        f"{conf.school.short}的数据确认已过期：{conf.file} 在签字确认（版本 {conf.recorded}）"
        f"后有改动，当前版本 {short_form(conf.current)}。请运行 docxreport confirm --school "
        f"{conf.school.short} 重新生成数据确认表，学校签字盖章后把新版本填入此格"
    )


def _unreadable_message(typed: object) -> str:
    hint = (
        "" if isinstance(typed, str) else "（Excel 把它当成了数字：请把单元格设为文本后重新填写）"
    )
    return (
        f"“{typed}”不是版本指纹{hint}：请照数据确认表上印的版本填写，"
        f"至少 {MIN_PREFIX} 位，由 0–9 和 a–f 组成"
    )


def summary(city: CityData, confs: Sequence[Confirmation]) -> list[str]:
    """The per-school lines ``check`` prints, a heading first and the counts last."""
    where = f"{city.file} › {L.REGISTRY_SHEET}"
    if city.confirmed_column:
        head = f"数据确认（{where}!{city.confirmed_column} 列“{L.CONFIRMED_HEADER}”）："
    else:
        head = (
            f"数据确认：{where} 没有“{L.CONFIRMED_HEADER}”列，所有学校都未确认"
            "（在表头最后一列之后加上此列即可记录；工作表保护没有密码）："
        )
    width = max([display_width(c.school.short) for c in confs] + [4])
    lines = [head]
    lines += [
        f"  {c.school.short}{' ' * (width - display_width(c.school.short))}  {c.line()}"
        for c in confs
    ]
    counts = {state: sum(c.state == state for c in confs) for state in _ORDER}
    told = "，".join(f"{state} {n} 所" for state, n in counts.items() if n)
    lines.append(f"共 {len(confs)} 所学校：{told}。")
    return lines


_ORDER = (CONFIRMED, OUTDATED, UNCONFIRMED, UNREADABLE, NO_WORKBOOK)

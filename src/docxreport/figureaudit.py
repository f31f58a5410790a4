"""An audit of figures typed by hand into an edited report ("全市在校生 9060 人").

Every number outside our marks is read with the words before it, in its clause (the
text between two of ，。；：！？). It is taken as a figure only when a unit the catalog
uses follows it (人、个、%、万元…) and an indicator's name, or a short form of it (在校生
for 全日制在校生人数, 教职工 for 教职工总数), stands before it in the same clause with that
unit. A school named in the clause makes it that school's figure. The number is then
compared with the indicator's value this year and last year, as the catalog formats them
(9,060 and 9060 are the same; 9.4 matches 9.41 rounded).

Not figures: a number without a unit (years, dates, phone numbers, 〔2024〕12 号, item
numbers), one inside quotes or a title (“…3000 人…”《…》), one after 第 (a rank), and one whose
clause names no indicator. These rules favour silence over a false alarm.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from docxreport.catalog import Catalog, Indicator
from docxreport.model import CURR, PREV
from docxreport.view.report import ReportView

_CLAUSE = re.compile(r"(?:[^，。；：！？,;!?\n]|(?<=\d),(?=\d{3}))+")  # 9,060 is one number
_NUMBER = re.compile(r"(?<![\d.,A-Za-z])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d.]?\d)")
_QUOTED = re.compile(r"“[^”]*”|《[^》]*》|「[^」]*」|\"[^\"]*\"|〔[^〕]*〕|\[[^\]]*\]")
_PREFIXES = ("全日制", "本年", "年")
_SUFFIXES = ("总数", "人数", "数量", "总量", "水平", "数")
HIDDEN = "\0"


@dataclass(frozen=True)
class Finding:
    """One hand-typed figure and the indicator it speaks of."""

    where: str
    excerpt: str
    text: str  # the number as typed
    indicator: Indicator
    school: str | None
    curr: str
    prev: str
    year: int
    prev_year: int
    agrees: bool
    matches: tuple[tuple[str, str], ...] = ()  # (indicator key, period) the number equals
    index: int = 0  # which of the audited paragraphs
    start: int = 0  # where the number starts in its text

    def line(self) -> str:
        who = f"{self.school}的" if self.school else ""
        last = f"（{self.prev_year} 年为 {self.prev}）" if self.prev not in ("", "—") else ""
        return (
            f"{self.where} › “{self.excerpt}”：手写的 {self.text} 与数据"
            f"“{who}{self.indicator.name}”{self.year} 年 {self.curr}{last}不一致"
        )


def aliases(cat: Catalog) -> dict[str, list[Indicator]]:
    """Every name prose may use for a numeric indicator → the indicators so named."""
    found: dict[str, list[Indicator]] = {}
    for ind in cat.indicators:
        if not ind.numeric or not ind.unit:
            continue
        for name in _short_forms(ind.name):
            found.setdefault(name, []).append(ind)
    return found


def _short_forms(name: str) -> set[str]:
    forms = {name, name.replace("“", "").replace("”", "")}
    for form in list(forms):
        for prefix in _PREFIXES:
            if form.startswith(prefix):
                forms.add(form[len(prefix) :])
    for form in list(forms):
        for suffix in _SUFFIXES:
            if form.endswith(suffix) and len(form) - len(suffix) >= 2:
                forms.add(form[: -len(suffix)])
    return {f for f in forms if len(f) >= 2}


class Auditor:
    """Checks the hand-typed figures of one report against its data."""

    def __init__(self, cat: Catalog, view: ReportView, school_view: Any = None) -> None:
        """``school_view(short)`` gives a school's view, for a clause naming a school."""
        self.view, self.school_view = view, school_view
        self.names = aliases(cat)
        self.pattern = re.compile(
            "|".join(re.escape(n) for n in sorted(self.names, key=len, reverse=True))
        )
        self.units = sorted({i.unit for i in cat.indicators if i.unit}, key=len, reverse=True)
        self.schools = sorted(view.registry, key=len, reverse=True) if view.school is None else []
        self._views: dict[str, ReportView] = {}

    def audit(self, paragraphs: Iterable[tuple[str, str, str]]) -> list[Finding]:
        """Findings for ``paragraphs``: (where, text with marked figures hidden, text)."""
        found: list[Finding] = []
        for index, (where, masked, text) in enumerate(paragraphs):
            blanked = _QUOTED.sub(lambda m: re.sub(r"\d", HIDDEN, m.group(0)), masked)
            for clause in _CLAUSE.finditer(blanked):
                found += [replace(f, index=index) for f in self._clause(where, text, clause)]
        return found

    def _clause(self, where: str, text: str, clause: re.Match[str]) -> list[Finding]:
        out = []
        body = clause.group(0)
        for number in _NUMBER.finditer(body):
            unit = self._unit(body[number.end() :])
            if unit is None or body[: number.start()].rstrip().endswith("第"):
                continue
            before = body[: number.start()]
            named = [m for m in self.pattern.finditer(before) if HIDDEN not in m.group(0)]
            if not named:
                continue
            candidates = [i for i in self.names[named[-1].group(0)] if _unit_ok(i.unit, unit)]
            if not candidates:
                continue
            school = self._school(before)
            view = self._view(school)
            if view is None:
                continue
            typed = number.group(0)
            at = clause.start() + number.start()
            excerpt = _excerpt(text, at, at + len(typed))
            results = [self._finding(view, i, typed, where, excerpt, school) for i in candidates]
            results = [r for r in results if r is not None]
            if results:
                agreeing = [r for r in results if r.agrees]
                matches = tuple(m for r in agreeing for m in r.matches)
                chosen = agreeing[0] if agreeing else results[0]
                out.append(replace(chosen, matches=matches, start=at))
        return out

    def _unit(self, after: str) -> str | None:
        rest = after.lstrip(" \u3000").replace("％", "%")
        return next((u for u in self.units if rest.startswith(u)), None)

    def _school(self, before: str) -> str | None:
        for name in self.schools:
            if name in before:
                return self.view.registry[name]
        return None

    def _view(self, school: str | None) -> ReportView | None:
        if school is None:
            return self.view
        if self.school_view is None:
            return None
        if school not in self._views:
            self._views[school] = self.school_view(school)
        return self._views[school]

    @staticmethod
    def _finding(
        view: ReportView, ind: Indicator, typed: str, where: str, excerpt: str, school: str | None
    ) -> Finding | None:
        curr, prev = view.figures.get((ind.key, CURR)), view.figures.get((ind.key, PREV))
        if curr is None or curr.empty:
            return None
        periods = [(p.period, p.text) for p in (curr, prev) if p is not None and not p.empty]
        matches = tuple((ind.key, period) for period, v in periods if _same(typed, v))
        return Finding(
            where,
            excerpt,
            typed,
            ind,
            school,
            curr.text,
            prev.text if prev is not None else "",
            view.year,
            view.prev_year,
            bool(matches),
            matches,
        )


def _unit_ok(unit: str, typed: str) -> bool:
    return unit.replace("％", "%") == typed


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "").replace("%", "").strip())
    except ValueError:
        return None


def _same(typed: str, printed: str) -> bool:
    """Whether the typed number is the printed one (or it rounded to the typed digits)."""
    a, b = _number(typed), _number(printed)
    if a is None or b is None:
        return False
    digits = len(typed.split(".")[1]) if "." in typed else 0
    return a == b or round(b, digits) == a


def _excerpt(text: str, start: int, end: int, around: int = 12) -> str:
    first, last = max(0, start - around), min(len(text), end + 6)
    shown = text[first:last].replace(HIDDEN, "").strip()
    return ("…" if first else "") + shown + ("…" if last < len(text) else "")


def audit_report(
    report: Any, data: Any, cat: Catalog, folder: Any = None, walked: Any = None
) -> list[Finding]:
    """The findings of an edited report (a :class:`~.render.patch.ReportFile`);
    ``walked``: its body's paragraphs, if already walked (:func:`~.marks.walk_places`)."""
    from docxreport.render.copies import Plain
    from docxreport.view.report import make_view

    state = report.state
    school = state.school or None if state is not None else None
    view = make_view(data, cat, school, folder)
    auditor = Auditor(cat, view, lambda short: make_view(data, cat, short, folder))
    return auditor.audit(Plain.prose(report.root, walked))

"""Marks: how a printed figure or table keeps its identity through docxtpl.

The template's functions return their text wrapped in private-use characters,
``START id SEP text END``, where ``id`` indexes the view item printed (a figure, a
change, a table). docxtpl copies the wrapped text into the document like any other.
After rendering, :meth:`Marks.collect` finds every wrapped text in the Word XML,
removes the wrapping and returns the items in document order: one per printed
occurrence, and none for a figure a template only tested in an ``{% if %}``.
"""

from __future__ import annotations

import re
from typing import Any

from docx.oxml.ns import qn

START, SEP, END = "\ue000", "\ue001", "\ue002"
_WRAPPED = re.compile(f"{START}(\\d+){SEP}(.*?){END}", re.S)
_ANY = re.compile(f"[{START}{SEP}{END}]")


class Marks:
    """The items one report printed, by the id their text was wrapped with."""

    def __init__(self) -> None:
        self.items: list[Any] = []

    def wrap(self, item: Any, text: str) -> str:
        """``text`` wrapped with a new id standing for ``item``."""
        self.items.append(item)
        return f"{START}{len(self.items) - 1}{SEP}{text}{END}"

    def collect(self, root: Any) -> list[Any]:
        """Unwrap every wrapped text under ``root`` (an lxml element); the items, in order."""
        found: list[Any] = []

        def unwrap(match: re.Match[str]) -> str:
            found.append(self.items[int(match.group(1))])
            return match.group(2)

        for t in root.iter(qn("w:t")):
            if t.text and START in t.text:
                t.text = _ANY.sub("", _WRAPPED.sub(unwrap, t.text))
        return found


def strip(text: str) -> str:
    """``text`` without any mark characters (for text that leaves the document)."""
    return _ANY.sub("", _WRAPPED.sub(lambda m: m.group(2), text))

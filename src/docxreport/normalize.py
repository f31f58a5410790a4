"""Turn what Excel users really type into clean values.

Pure functions: they take a raw cell value (and its number format) and return a
:class:`Parsed` result with the value, or a problem to report. Accepted without
complaint: ``1,234``, full-width digits, stray spaces, ``95%`` or a cell
formatted as a percentage. Ambiguous input is accepted with a warning.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from docxreport.text import clean_text

EMPTY_MARKS = {"", "-", "—", "－", "--", "——", "/", "无数据"}
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


@dataclass(frozen=True)
class Parsed:
    value: float | int | str | None
    error: str | None = None
    warning: str | None = None


def cell_text(raw: object) -> str | None:
    """A cell's text: characters a Word document cannot hold removed, spaces stripped;
    None when nothing is left."""
    if raw is None:
        return None
    return clean_text(raw).strip() or None


def _squash(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(text.split())


def parse_number(raw: object, kind: str, number_format: str = "General") -> Parsed:
    """Parse a cell meant to hold a number of ``kind`` (count, amount, percent, ratio)."""
    if raw is None:
        return Parsed(None)
    if isinstance(raw, bool):
        return Parsed(None, f"“{raw}”不是数字")
    if isinstance(raw, int | float):
        if isinstance(raw, float) and not math.isfinite(raw):
            return Parsed(None, "不是有效数字")
        if kind == "percent" and "%" in (number_format or ""):
            return _finish(round(raw * 100, 10), kind, typed=f"{raw:%}", clear=True)
        return _finish(raw, kind, typed=str(raw))
    text = _squash(str(raw))
    if text in EMPTY_MARKS:
        return Parsed(None)
    percent = text.endswith("%")
    body = text.rstrip("%")
    if _THOUSANDS.match(body):
        body = body.replace(",", "")
    if not _NUMBER.match(body):
        return Parsed(None, f"“{str(raw).strip()}”不是数字")
    if percent and kind != "percent":
        return Parsed(None, f"“{str(raw).strip()}”带百分号，但此处应填{_kind_word(kind)}")
    return _finish(float(body), kind, typed=str(raw).strip(), clear=percent)


def _finish(value: float, kind: str, typed: str, clear: bool = False) -> Parsed:
    warn = None
    if kind == "count":
        if value != int(value):
            return Parsed(None, f"“{typed}”应为整数")
        return Parsed(int(value))
    if kind == "percent" and not clear and 0 < value <= 1:
        warn = (
            f"“{typed}”含义不明：若指 {_trim(value * 100)}%，请填写 {_trim(value * 100)}；"
            f"按 {_trim(value)}% 读取"
        )
    if value == int(value) and abs(value) < 1e15:
        value = int(value)
    return Parsed(value, warning=warn)


def _trim(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _kind_word(kind: str) -> str:
    return {"count": "整数", "amount": "金额", "ratio": "比值", "percent": "百分比"}.get(
        kind, "数字"
    )


def parse_year(raw: object) -> int | None:
    """A year stamp: 2024, "2024", "2024年", "２０２４ 年"."""
    if raw is None:
        return None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return int(raw) if float(raw).is_integer() else None
    text = _squash(str(raw)).removesuffix("年").removesuffix("年度")
    return int(text) if text.isdigit() and len(text) == 4 else None


_DATE = re.compile(r"(\d{4})\D+(\d{1,2})(?:\D+(\d{1,2}))?")


def parse_date(raw: object) -> date | None:
    """Dates as staff type them: a real date, 2025年1月22日, 2025-01-22, 2025年1月."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = cell_text(raw)
    match = _DATE.search(text or "")
    if not match:
        return None
    y, m, d = int(match[1]), int(match[2]), int(match[3] or 1)
    try:
        return date(y, m, d)
    except ValueError:
        return None

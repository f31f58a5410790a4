"""Turn figures into the strings printed in the report.

Rounding is half up (as people round by hand), never banker's rounding, and an
empty figure prints as a dash so that it cannot be mistaken for zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from docxreport.catalog import Indicator
from docxreport.model import PENDING, is_pending
from docxreport.text import clean_text

DASH = "—"


def _scalar(value: Any) -> Any:
    """Unwrap a :class:`~docxreport.model.Figure` or :class:`~docxreport.model.Value`."""
    return getattr(value, "value", value)


def _decimal(value: Any) -> Decimal | None:
    """``value`` as a Decimal, or None when it is empty or not a number."""
    value = _scalar(value)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip().replace(",", "")
        if not value:
            return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_number(value: Any, decimals: int = 0, thousands: bool = False) -> str:
    """A number rounded half up to ``decimals`` digits; "—" when empty."""
    number = _decimal(value)
    if number is None:
        return DASH
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = abs(rounded)  # no "-0.00"
    return format(rounded, f"{',' if thousands else ''}.{decimals}f")


def format_value(ind: Indicator, value: Any) -> str:
    """The printed form of ``value`` for indicator ``ind``.

    Percent values are printed without the % sign: the unit column or the
    header carries it. A non-numeric value of a numeric indicator (a note such
    as "14（全市）") is printed as it is.
    """
    value = _scalar(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return DASH
    if not ind.numeric:
        return clean_text(value)
    if _decimal(value) is None:
        return clean_text(value)
    return format_number(value, ind.decimals, ind.thousands)


def format_plain(value: Any) -> str:
    """A list cell: integers without a point, other numbers as given, "—" when empty."""
    value = _scalar(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return DASH
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(value)


@dataclass(frozen=True)
class Change:
    """How a figure moved from last year: ``word`` 增加/减少/持平, ``abs``, ``pct`` (of prev)."""

    word: str
    abs: str
    pct: str


def format_change(prev: Any, curr: Any, ind: Indicator | None = None) -> Change:
    """Compare two figures; parts that cannot be computed are "—".

    ``abs`` uses the decimals of ``ind`` when given, else at most two digits;
    ``pct`` is the change as a percentage of ``prev`` with two decimals.
    """
    if is_pending(prev) or is_pending(curr):
        return Change(PENDING, PENDING, PENDING)
    p, c = _decimal(prev), _decimal(curr)
    if p is None or c is None:
        return Change(DASH, DASH, DASH)
    diff = c - p
    word = "增加" if diff > 0 else "减少" if diff < 0 else "持平"
    if ind is not None:
        absolute = format_number(abs(diff), ind.decimals, ind.thousands)
    else:
        absolute = _trim(format_number(abs(diff), 2))
    pct = DASH if p == 0 else format_number(abs(diff) / abs(p) * 100, 2)
    return Change(word, absolute, pct)


def _trim(text: str) -> str:
    """Drop trailing zeros after the point: ``5.50`` → ``5.5``, ``3.00`` → ``3``."""
    return text.rstrip("0").rstrip(".") if "." in text else text

"""Plain-text helpers shared by reading, checking and rendering.

- :func:`clean_text`: a value as text a Word document (XML 1.0) can hold;
- :func:`display_width`: how wide a text shows in a fixed-width or CJK layout.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Characters XML 1.0 forbids (C0 controls except tab/newline/CR, lone surrogates, U+FFFE/F).
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: Any) -> str:
    """``text`` as a string with every XML-illegal control character removed."""
    return _ILLEGAL_XML.sub("", "" if text is None else str(text))


def display_width(text: str) -> int:
    """Display width in half-em units: a CJK (wide) character is two, others one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

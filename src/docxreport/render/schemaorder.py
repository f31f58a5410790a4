"""Put back in schema order what another writer left out of it (a report staff saved with
LibreOffice, then refreshed): the order carries no meaning, but Word's schema is a sequence.

LibreOffice 7.4 writes, for instance, ``w:rStyle`` after other run properties, ``w:pStyle``
after ``w:spacing``, ``w:cantSplit w:val="true"`` where the schema wants ``on``, and a pie
chart's ``c:dLbl`` after ``c:numFmt``. The validator flags each as an error; Word repairs.
"""

from __future__ import annotations

from typing import Any

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"

# CT_PPr's children, in the schema's order
_PPR = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku",
    "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
    "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
    "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
    "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
)  # fmt: skip
# CT_RPr's and CT_ParaRPr's children, in the schema's order
_RPR = (
    "ins", "del", "moveFrom", "moveTo", "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps",
    "smallCaps", "strike", "dstrike", "outline", "shadow", "emboss", "imprint", "noProof",
    "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz",
    "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
    "em", "lang", "eastAsianLayout", "specVanish", "oMath", "rPrChange",
)  # fmt: skip
_RANKS = {
    f"{_W}pPr": {f"{_W}{name}": i for i, name in enumerate(_PPR)},
    f"{_W}rPr": {f"{_W}{name}": i for i, name in enumerate(_RPR)},
}
# the row properties whose value the schema allows only as on/off (ST_OnOffOnly)
_ON_OFF_ONLY = (f"{_W}cantSplit", f"{_W}tblHeader")
_ON_OFF = {"true": "on", "1": "on", "false": "off", "0": "off"}


def put_in_order(root: Any) -> None:
    """Paragraph and run properties of a story part (the body, a header) in schema order,
    each property once (the last of two copies, as LibreOffice sometimes writes); row
    on/off properties written on/off."""
    for tag, ranks in _RANKS.items():
        for props in root.iter(tag):
            if len(props) > 1:
                _order(props, ranks)
    for tag in _ON_OFF_ONLY:
        for el in root.iter(tag):
            value = el.get(f"{_W}val")
            if value in _ON_OFF and el.getparent().tag == f"{_W}trPr":
                el.set(f"{_W}val", _ON_OFF[value])


def _order(props: Any, ranks: dict[str, int]) -> None:
    children, last = list(props), len(ranks)  # unlisted children (extensions) go last
    keys = [ranks.get(c.tag, last) if isinstance(c.tag, str) else last for c in children]
    seen: set[str] = set()
    for child in reversed(children):  # a listed property twice: the earlier copy goes
        if isinstance(child.tag, str) and child.tag in ranks:
            if child.tag in seen:
                props.remove(child)
            seen.add(child.tag)
    if keys != sorted(keys):
        for _, _, child in sorted(zip(keys, range(len(children)), children, strict=True)):
            if child.getparent() is props:
                props.append(child)


def put_chart_in_order(root: Any) -> None:
    """A chart's data labels: each ``c:dLbl`` first in its ``c:dLbls``, as the schema says."""
    for labels in root.iter(f"{_C}dLbls"):
        singles = [c for c in labels if c.tag == f"{_C}dLbl"]
        for i, label in enumerate(singles):
            labels.insert(i, label)

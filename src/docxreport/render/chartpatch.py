"""Charts in a built report: read their cached values, refresh them, take them out.

A chart is found through the relationship id its ``c:chart`` element carries; its part
and its embedded workbook are then found through the package's relationships. Refresh
rewrites only the caches (names, categories, values) and the workbook's cells, so the
formatting staff gave the chart in Word stays.
"""

from __future__ import annotations

import posixpath
from typing import Any

from lxml import etree

from docxreport.render.charts import (
    _SAFE,
    PACKAGE_RT,
    R,
    _c,
    _fill,
    _fill_numbers,
    _values,
    number_text,
)
from docxreport.view.charts import ChartView
from docxreport.workbook.chartdata import update_chart_workbook


def _cache(holder: Any) -> Any:
    """The cache (or literal) element under c:tx, c:cat or c:val."""
    for name in ("numCache", "strCache", "numLit", "strLit"):
        found = holder.find(f".//{_c(name)}")
        if found is not None:
            return found
    return None


def cached(cache: Any) -> list[str | None]:
    """The texts of a cache, by index (None where a point is missing)."""
    if cache is None:
        return []
    count = cache.find(_c("ptCount"))
    size = int(count.get("val", "0")) if count is not None else 0
    out: list[str | None] = [None] * size
    for pt in cache.findall(_c("pt")):
        idx = int(pt.get("idx", "0"))
        if idx >= len(out):
            out += [None] * (idx + 1 - len(out))
        v = pt.find(_c("v"))
        out[idx] = v.text if v is not None else None
    return out


def chart_values(blob: bytes) -> tuple[list[str], list[tuple[str, list[float | None]]]]:
    """(categories, [(series name, values)…]) as a chart part caches them."""
    root = etree.fromstring(blob, _SAFE)
    categories: list[str] = []
    series = []
    for ser in root.iter(_c("ser")):
        tx, cat, val = ser.find(_c("tx")), ser.find(_c("cat")), ser.find(_c("val"))
        name = (cached(_cache(tx)) or [""])[0] if tx is not None else ""
        if cat is not None and not categories:
            categories = [c or "" for c in cached(_cache(cat))]
        values = [None if v is None else float(v) for v in cached(_cache(val))]
        series.append((name or "", values))
    return categories, series


def update_chart_xml(blob: bytes, view: ChartView) -> tuple[bytes, list[tuple[str, str, str]]]:
    """The chart part with its cached names, categories and values set to ``view``'s.

    Only the caches change: colours, labels, fonts and layout staff chose stay. Returns the
    new XML and (where, old, new) for every value that changed.
    """
    root = etree.fromstring(blob, _SAFE)
    changes: list[tuple[str, str, str]] = []
    new = _values(view)
    for ser, (name, values) in zip(root.iter(_c("ser")), new, strict=False):
        tx, cat, val = ser.find(_c("tx")), ser.find(_c("cat")), ser.find(_c("val"))
        if tx is not None and _cache(tx) is not None:
            _fill(_cache(tx), [name])
        if cat is not None and _cache(cat) is not None:
            _fill(_cache(cat), list(view.categories))
        cache = _cache(val) if val is not None else None
        if cache is None:
            continue
        old = cached(cache)
        for i, value in enumerate(values):
            before = old[i] if i < len(old) else None
            after = None if value is None else number_text(value)
            if _differs(before, after):
                label = view.categories[i] if i < len(view.categories) else str(i + 1)
                changes.append((f"{label} {name}", before or "", after or "—"))
        _fill_numbers(cache, values)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return xml, changes


def _differs(before: str | None, after: str | None) -> bool:
    if before is None or after is None:
        return before != after
    try:
        return float(before) != float(after)
    except ValueError:
        return before != after


def chart_parts(blobs: dict[str, bytes], rid: str) -> tuple[str, str]:
    """The chart part and its embedded workbook (names in the zip) of document rel ``rid``."""
    chart = _target(blobs, "word/document.xml", rid)
    book = ""
    rels = _rels_name(chart)
    if rels in blobs:
        root = etree.fromstring(blobs[rels], _SAFE)
        for rel in root:
            if rel.get("Type") == PACKAGE_RT:
                book = posixpath.normpath(
                    posixpath.join(posixpath.dirname(chart), rel.get("Target"))
                )
    return chart, book


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _target(blobs: dict[str, bytes], source: str, rid: str) -> str:
    rels = _rels_name(source)
    if rels not in blobs:
        return ""
    for rel in etree.fromstring(blobs[rels], _SAFE):
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
    return ""


def refresh_chart(
    blobs: dict[str, bytes], rid: str, view: ChartView
) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Update the chart related as ``rid`` (its cache and its workbook) in ``blobs``.

    Returns the parts changed and (where, old, new) per changed value.
    """
    chart, book = chart_parts(blobs, rid)
    if chart not in blobs:
        return [], []
    xml, changes = update_chart_xml(blobs[chart], view)
    if not changes:
        return [], []
    blobs[chart] = xml
    changed = [chart]
    if book in blobs:
        blobs[book] = update_chart_workbook(
            blobs[book], view.categories, _values(view), view.number_format
        )
        changed.append(book)
    return changed, changes


def chart_rid(run_or_drawing: Any) -> str | None:
    """The relationship id of the chart inside ``run_or_drawing``, if it holds one."""
    ref = next(run_or_drawing.iter(_c("chart")), None)
    return None if ref is None else ref.get(f"{{{R}}}id")


def drop_chart(blobs: dict[str, bytes], rid: str) -> list[str]:
    """Take the chart related as ``rid`` out of the package ``blobs``: the document's
    relationship, the chart part, its relationships and its workbook, and their content
    types. Returns the parts changed."""
    chart, book = chart_parts(blobs, rid)
    gone = {chart, book, _rels_name(chart)} & set(blobs)
    for name in gone:
        del blobs[name]
    changed = []
    rels = _rels_name("word/document.xml")
    if rels in blobs:
        root = etree.fromstring(blobs[rels], _SAFE)
        for rel in [r for r in root if r.get("Id") == rid]:
            root.remove(rel)
        blobs[rels] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        changed.append(rels)
    types = "[Content_Types].xml"
    if types in blobs:
        root = etree.fromstring(blobs[types], _SAFE)
        for item in [t for t in root if t.get("PartName", "").lstrip("/") in gone]:
            root.remove(item)
        blobs[types] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        changed.append(types)
    return changed

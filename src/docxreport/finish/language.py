"""The language a PDF declares: the report's Chinese, not the Latin default of its styles.

LibreOffice declares a PDF's language (the catalog's ``/Lang``, read by screen
readers) from the document's default *Latin* language, ``en-US`` in a Chinese
Word document. The report's language is its East Asian default (``zh-CN``);
it is written over the declared one in place, byte for byte the same length, so
the PDF's cross-reference table stays valid.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DEFAULT_LANGUAGE = "zh-CN"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_CATALOG = re.compile(rb"<<\s*/Type\s*/Catalog\b.*?>>\s*endobj", re.DOTALL)
_LANG = re.compile(rb"/Lang\s*\(([A-Za-z0-9-]*)\)")
_XMP_LANG = re.compile(rb"(<dc:language>\s*<rdf:Bag>\s*<rdf:li>)([A-Za-z0-9-]*)(</rdf:li>)")


def document_language(docx: Path) -> str:
    """The Chinese variant ``docx`` declares as its East Asian default, else ``zh-CN``.

    Reports are written in Chinese; a template made from an English or Japanese Word
    default (``en-US``, ``ja-JP``) does not make them anything else.
    """
    try:
        with zipfile.ZipFile(docx) as package:
            root = etree.fromstring(package.read("word/styles.xml"), _PARSER)
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return DEFAULT_LANGUAGE
    lang = root.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr/{{{W}}}lang")
    tag = lang.get(f"{{{W}}}eastAsia", "") if lang is not None else ""
    return tag if _TAG.match(tag) and tag.lower().startswith("zh-") else DEFAULT_LANGUAGE


def declared_language(pdf: Path) -> str | None:
    """The language the PDF's catalog declares, if any."""
    catalog = _CATALOG.search(pdf.read_bytes())
    found = _LANG.search(catalog.group(0)) if catalog else None
    return found.group(1).decode("ascii") if found else None


def set_language(pdf: Path, language: str) -> bool:
    """Declare ``language`` in ``pdf`` (catalog and XMP) where a tag of its length stands.

    Returns whether the catalog now declares it; a PDF whose catalog declares no
    language, or one of another length, is left as it is.
    """
    data = pdf.read_bytes()
    new = language.encode("ascii")
    catalog = _CATALOG.search(data)
    found = _LANG.search(catalog.group(0)) if catalog else None
    if catalog is None or found is None or len(found.group(1)) != len(new):
        return found is not None and found.group(1) == new
    if found.group(1) == new:
        return True
    start = catalog.start() + found.start(1)
    data = data[:start] + new + data[start + len(new) :]

    def xmp(match: re.Match[bytes]) -> bytes:
        same = len(match.group(2)) == len(new)
        return match.group(1) + (new if same else match.group(2)) + match.group(3)

    pdf.write_bytes(_XMP_LANG.sub(xmp, data))
    return True

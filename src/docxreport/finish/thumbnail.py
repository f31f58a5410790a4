"""The cover page as a report's thumbnail: what Windows Explorer and WPS's file list show.

LibreOffice lays every report out for its page numbers anyway; the first page of that
PDF, made small with ``pdftoppm``, becomes ``docProps/thumbnail.jpeg``. A thumbnail is a
nicety: when it cannot be made, the report is written without one.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from docxreport.atomic import Ready, write_atomically
from docxreport.render.docprops import serialise
from docxreport.render.package import write_members
from docxreport.render.tidy import REL_THUMBNAIL

THUMBNAIL = "docProps/thumbnail.jpeg"
_SIDE = 256  # pixels of the longer side, as Word's own thumbnails
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True)


def cover_picture(pdf: Path) -> bytes | None:
    """The first page of ``pdf`` as a small JPEG; None when poppler cannot make it."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return None
    with tempfile.TemporaryDirectory(prefix="docxreport-cover-") as tmp:
        base = Path(tmp) / "cover"
        command = [tool, "-f", "1", "-l", "1", "-singlefile", "-jpeg"]
        command += ["-jpegopt", "quality=80", "-scale-to", str(_SIDE), str(pdf), str(base)]
        try:
            subprocess.run(command, capture_output=True, timeout=120, check=True)
            return base.with_suffix(".jpg").read_bytes()
        except (OSError, subprocess.SubprocessError):
            return None


def _with_thumbnail(rels: bytes, types: bytes) -> tuple[bytes, bytes]:
    """The package's relationships and content types, naming one thumbnail: ours."""
    root = etree.fromstring(rels, _SAFE)
    for rel in list(root):
        if rel.get("Type") == REL_THUMBNAIL:
            root.remove(rel)
    taken = {rel.get("Id") for rel in root}
    rid = next(f"rId{i}" for i in range(len(taken) + 1, len(taken) + 100) if f"rId{i}" not in taken)
    rel = etree.SubElement(root, f"{{{_PKG_REL}}}Relationship")
    rel.set("Id", rid)
    rel.set("Type", REL_THUMBNAIL)
    rel.set("Target", THUMBNAIL)
    ct = etree.fromstring(types, _SAFE)
    if not any((d.get("Extension") or "").lower() == "jpeg" for d in ct):
        default = etree.Element(f"{{{_CT_NS}}}Default")
        default.set("Extension", "jpeg")
        default.set("ContentType", "image/jpeg")
        ct.insert(0, default)
    return serialise(root), serialise(ct)


def put_cover_thumbnail(docx: Path, pdf: Path, ready: Ready | None = None) -> bool:
    """Make the first page of ``pdf`` (laid out from ``docx``) the thumbnail of ``docx``,
    in place and atomically (``ready``: see :func:`~docxreport.atomic.write_atomically`);
    whether it was done. Nothing else in the file changes."""
    picture = cover_picture(pdf)
    if picture is None:
        return False
    try:
        with zipfile.ZipFile(docx) as package:
            blobs = {info.filename: package.read(info) for info in package.infolist()}
        rels, types = _with_thumbnail(blobs["_rels/.rels"], blobs["[Content_Types].xml"])
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return False
    blobs.update({"_rels/.rels": rels, "[Content_Types].xml": types, THUMBNAIL: picture})

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as out:
            write_members(out, blobs, None)  # not a new revision: the same build

    write_atomically(write, docx, docx.parent, ready=ready)
    return True

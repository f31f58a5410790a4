"""Writing a report's .docx: python-docx's parts, zipped, each large part deflated once,
the main document part serialised straight into the zip, every part tidied on its way in
(:mod:`docxreport.render.tidy`: the package's properties, settings and stale parts).

Most of a report's bytes are parts every report of a template shares unchanged (the
styles, with and without effects, the theme). python-docx deflates each part at every
save; here a part's deflated bytes are kept per process and reused while its bytes are
the same, so a build deflates them once per template. The zip written is the one Python's
``zipfile`` writes (same headers, same deflate level).
"""

from __future__ import annotations

import struct
import time
import zlib
from collections import OrderedDict
from pathlib import Path
from typing import Any, BinaryIO

from docx.opc.pkgwriter import _ContentTypesItem
from lxml import etree

from docxreport.render.tidy import CONTENT_TYPES, Stamp, Tidy

_KEPT_FROM = 16 * 1024  # smaller parts are deflated afresh: quick, and often changed
_KEPT = 24  # parts kept deflated (a few templates' worth)
_DEFLATED: OrderedDict[tuple[int, int], tuple[bytes, bytes]] = OrderedDict()
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_VERSION, _MADE_BY, _DEFLATE, _UTF8 = 20, (3 << 8) | 20, 8, 0x800
_FILE_MODE = 0o600 << 16  # what zipfile gives a member written from bytes


def deflate(data: bytes, keep: bool = True) -> tuple[int, bytes]:
    """(CRC-32, raw deflate stream) of ``data``, as ``zipfile`` compresses it; with
    ``keep``, a large part's stream is kept for the next time the same bytes come."""
    crc = zlib.crc32(data)
    key = (len(data), crc)
    keep = keep and len(data) >= _KEPT_FROM
    kept = _DEFLATED.get(key) if keep else None
    if kept is not None and kept[0] == data:
        _DEFLATED.move_to_end(key)
        return crc, kept[1]
    packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    if keep:
        _DEFLATED[key] = (data, packed)
        while len(_DEFLATED) > _KEPT:
            _DEFLATED.popitem(last=False)
    return crc, packed


class ZipWriter:
    """A write-only zip file of deflated members, with python-docx's ``PhysPkgWriter``
    interface (``write(pack_uri, blob)``, ``close()``). With ``tidy``, each member goes
    through it (and the members it drops are left out)."""

    def __init__(
        self, file: BinaryIO, fresh: frozenset[str] = frozenset(), tidy: Tidy | None = None
    ) -> None:
        self.file = file
        self.fresh = fresh  # members whose bytes differ every time: not kept deflated
        self.tidy = tidy
        self.central: list[bytes] = []
        now = time.localtime()
        self.time = (now.tm_hour << 11) | (now.tm_min << 5) | (now.tm_sec // 2)
        self.date = ((now.tm_year - 1980) << 9) | (now.tm_mon << 5) | now.tm_mday

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.add(pack_uri.membername, blob)

    def add(self, name: str, data: bytes) -> None:
        if self.tidy is not None:
            if not self.tidy.keeps(name):
                return
            data = self.tidy.part(name, data)
        crc, packed = deflate(data, keep=name not in self.fresh)
        raw = name.encode("utf-8")
        flags = 0 if name.isascii() else _UTF8
        offset = self.file.tell()
        fields = (flags, _DEFLATE, self.time, self.date, crc, len(packed), len(data), len(raw))
        self.file.write(_LOCAL.pack(0x04034B50, _VERSION, *fields, 0) + raw)
        self.file.write(packed)
        self.central.append(
            _CENTRAL.pack(0x02014B50, _MADE_BY, _VERSION, *fields, 0, 0, 0, 0, _FILE_MODE, offset)
            + raw
        )

    def add_tree(self, name: str, root: Any) -> None:
        """A part serialised from XML tree ``root`` straight into the zip, deflated as it
        comes: a province's city report body is never held as one 18 MB string."""
        raw = name.encode("utf-8")
        flags = 0 if name.isascii() else _UTF8
        offset = self.file.tell()
        self.file.write(_LOCAL.pack(0x04034B50, _VERSION, flags, _DEFLATE, 0, 0, 0, 0, 0, 0, 0))
        self.file.write(raw)
        sink = _Deflating(self.file)
        etree.ElementTree(root).write(sink, encoding="UTF-8", standalone=True)
        crc, packed, size = sink.finish()
        fields = (flags, _DEFLATE, self.time, self.date, crc, packed, size, len(raw))
        end = self.file.tell()
        self.file.seek(offset)
        self.file.write(_LOCAL.pack(0x04034B50, _VERSION, *fields, 0))
        self.file.seek(end)
        self.central.append(
            _CENTRAL.pack(0x02014B50, _MADE_BY, _VERSION, *fields, 0, 0, 0, 0, _FILE_MODE, offset)
            + raw
        )

    def close(self) -> None:
        start = self.file.tell()
        directory = b"".join(self.central)
        self.file.write(directory)
        count = len(self.central)
        self.file.write(_END.pack(0x06054B50, 0, 0, count, count, len(directory), start, 0))


class _Deflating:
    """A file-like sink that deflates what it is given into ``file``, as zipfile would."""

    def __init__(self, file: BinaryIO) -> None:
        self.file, self.crc, self.size, self.packed = file, 0, 0, 0
        self.packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)

    def write(self, data: bytes) -> int:
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        self._out(self.packer.compress(data))
        return len(data)

    def finish(self) -> tuple[int, int, int]:
        self._out(self.packer.flush())
        return self.crc, self.packed, self.size

    def _out(self, chunk: bytes) -> None:
        self.file.write(chunk)
        self.packed += len(chunk)


def save_docx(document: Any, path: Path, stamp: Stamp | None) -> None:
    """Write python-docx ``document`` to ``path``, as ``document.save(path)`` does, tidied
    (see :mod:`~docxreport.render.tidy`); ``stamp``: what the file says of its history
    (usually ``Stamp.replacing(final_path)``, taken before writing to a temporary file)."""
    package = document.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    rels = {"_rels/.rels": package.rels.xml}
    rels.update({p.partname.rels_uri.membername: p.rels.xml for p in parts if len(p.rels)})
    names = [CONTENT_TYPES, *rels, *(p.partname.membername for p in parts)]
    by_name = {p.partname.membername: p for p in parts}
    with open(path, "wb") as file:
        tidy = Tidy(names, rels, stamp, lambda n: by_name[n].blob if n in by_name else None)
        writer = ZipWriter(file, frozenset({document.part.partname.membername}), tidy)
        # python-docx's own steps of PackageWriter.write, with this writer
        writer.add(CONTENT_TYPES, _ContentTypesItem.from_parts(parts).blob)
        writer.add("_rels/.rels", rels["_rels/.rels"])
        for part in parts:  # PackageWriter._write_parts, the main part streamed
            name = part.partname.membername
            if part is document.part:
                writer.add_tree(name, part.element)
            else:
                writer.add(name, part.blob)
            if len(part.rels):
                rels_name = part.partname.rels_uri.membername
                writer.add(rels_name, rels[rels_name])
        writer.close()


def write_members(file: BinaryIO, blobs: dict[str, bytes], stamp: Stamp | None) -> None:
    """Write a package's members (name → bytes, in order) to ``file``, tidied."""
    writer = ZipWriter(file, tidy=Tidy.of_members(blobs, stamp))
    for name, data in blobs.items():
        writer.add(name, data)
    writer.close()

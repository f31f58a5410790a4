"""Put received files in place without ever losing a version.

A school's current workbook is ``学校/<简称>.xlsx``; every other version of it is
kept beside it as ``<简称>.备份-<日期时间>.xlsx`` (the reports' backup naming). A
version is the workbook's content fingerprint: a file that only differs by being
saved again is the same version and is not written twice. Photos never overwrite
a different photo: a clashing name gets the school's short name as a prefix.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import cached_property
from pathlib import Path

from docxreport.atomic import copy_atomically, write_bytes_atomically
from docxreport.finish.manifest import lock_files
from docxreport.layout import safe_filename
from docxreport.load import BACKUP_MARK
from docxreport.workbook.confirmed import content_digest
from docxreport.workbook.identify import saved_time
from docxreport.workbook.read import open_data


def backup_name(path: Path, now: datetime) -> Path:
    """``五原职高.备份-20250105-143000.xlsx`` beside ``path``, not yet taken."""
    stem = f"{path.stem}{BACKUP_MARK}{now:%Y%m%d-%H%M%S}"
    candidate, n = path.with_name(f"{stem}{path.suffix}"), 2
    while candidate.exists():
        candidate, n = path.with_name(f"{stem}-{n}{path.suffix}"), n + 1
    return candidate


def safe_name(name: str) -> str:
    """``name`` with the characters no file name may hold replaced by _ ("" when unusable).

    Names come from senders (a photo's name in an archive) and so are hostile.
    """
    name = safe_filename(name.strip())
    if not name or name.startswith(".") or len(name.encode()) > 200:
        return ""
    return name


def is_backup(name: str) -> bool:
    return BACKUP_MARK in name


def data_digest(data: bytes, name: str) -> str:
    """The version fingerprint of a workbook's bytes ("" when they cannot be read as one)."""
    book, _ = open_data(data, name)
    return content_digest(book.values) if book is not None else ""


class OnFile:
    """The versions of one school's workbook already in its folder, read when first asked for."""

    def __init__(self, folder: Path, short: str) -> None:
        self.current = folder / f"{short}.xlsx"
        self.data = self.current.read_bytes() if self.current.is_file() else None
        self.exists = self.data is not None
        self._backups = sorted(folder.glob(f"{short}{BACKUP_MARK}*.xlsx"))

    @cached_property
    def digest(self) -> str:
        """The current file's fingerprint; "" when there is none (or it cannot be read)."""
        return data_digest(self.data, self.current.name) if self.data is not None else ""

    @cached_property
    def saved(self) -> datetime | None:
        return saved_time(self.data) if self.data is not None else None

    @cached_property
    def kept(self) -> frozenset[str]:
        """The fingerprints of the backups."""
        found = (data_digest(p.read_bytes(), p.name) for p in self._backups)
        return frozenset(d for d in found if d)

    def holds(self, data: bytes, digest: str) -> bool:
        """Whether the current file is this version (the same bytes, or the same cells)."""
        return self.exists and (data == self.data or digest == self.digest)


def locked(path: Path) -> str:
    """A Chinese reason not to replace ``path`` now, or ""."""
    locks = lock_files(path)
    if locks:
        return f"{path.name} 正被 Excel/WPS 打开（发现 {locks[0].name}），请关闭后重新收取"
    return ""


def put(data: bytes, dest: Path) -> None:
    """Write ``data`` as ``dest`` atomically (through the guarded writer, within its folder)."""
    write_bytes_atomically(data, dest, dest.parent)


def keep_backup(current: Path, now: datetime, data: bytes | None = None) -> Path:
    """A new backup beside ``current``: a copy of it, or ``data``; never over another file."""
    while True:
        path = backup_name(current, now)
        if data is None:
            made = copy_atomically(current, path, current.parent)
        else:
            made = write_bytes_atomically(data, path, current.parent, exclusive=True)
        if made:
            return path


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def place_photo(folder: Path, name: str, data: bytes, prefix: str) -> tuple[str, str]:
    """Put a photo in ``folder``: ("same" | "new" | "renamed", the name it has there).

    A different photo of the same name is never replaced: this one gets ``prefix``
    (the school's short name) before its name, then a number if that is taken too.
    """
    digest = sha(data)
    candidates = [name]
    if prefix:
        candidates.append(f"{prefix}_{name}")
    stem, suffix = Path(name).stem, Path(name).suffix
    candidates += [f"{prefix + '_' if prefix else ''}{stem}-{n}{suffix}" for n in range(2, 100)]
    for n, candidate in enumerate(candidates):
        path = folder / candidate
        if path.is_file():
            if sha(path.read_bytes()) == digest:
                return "same", candidate
            continue
        if write_bytes_atomically(data, path, folder, exclusive=True):
            return ("new" if n == 0 else "renamed"), candidate
    raise OSError(f"图片 {name} 的同名文件过多")

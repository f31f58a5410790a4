"""Put received files in place without ever losing a version.

A school's current workbook is ``学校/<简称>.xlsx``; every other version of it is
kept beside it as ``<简称>.备份-<日期时间>.xlsx`` (the reports' backup naming). A
version is the workbook's content fingerprint: a file that only differs by being
saved again is the same version and is not written twice. Photos never overwrite
a different photo: a clashing name gets the school's short name as a prefix.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from docxreport.atomic import write_atomically
from docxreport.finish.manifest import lock_files
from docxreport.load import BACKUP_MARK
from docxreport.workbook.confirmed import content_digest
from docxreport.workbook.read import open_data


def backup_name(path: Path, now: datetime) -> Path:
    """``五原职高.备份-20250105-143000.xlsx`` beside ``path``, not yet taken."""
    stem = f"{path.stem}{BACKUP_MARK}{now:%Y%m%d-%H%M%S}"
    candidate, n = path.with_name(f"{stem}{path.suffix}"), 2
    while candidate.exists():
        candidate, n = path.with_name(f"{stem}-{n}{path.suffix}"), n + 1
    return candidate


def is_backup(name: str) -> bool:
    return BACKUP_MARK in name


def digest_of(path: Path) -> str:
    """The version fingerprint of the workbook at ``path`` ("" when it cannot be read)."""
    try:
        data = path.read_bytes()
    except OSError:
        return ""
    book, _ = open_data(data, path.name)
    return content_digest(book.values) if book is not None else ""


@dataclass
class OnFile:
    """The versions of one school's workbook already in its folder."""

    current: Path
    digest: str = ""  # of the current file; "" when there is none (or it cannot be read)
    saved: datetime | None = None
    kept: frozenset[str] = frozenset()  # fingerprints of the backups
    exists: bool = False  # whether the current file was there when looked at

    def has(self, digest: str) -> bool:
        return digest == self.digest or digest in self.kept


def on_file(folder: Path, short: str) -> OnFile:
    from docxreport.workbook.identify import saved_time

    current = folder / f"{short}.xlsx"
    backups = sorted(folder.glob(f"{short}{BACKUP_MARK}*.xlsx"))
    kept = frozenset(d for d in (digest_of(p) for p in backups) if d)
    if not current.is_file():
        return OnFile(current, kept=kept)
    return OnFile(current, digest_of(current), saved_time(current.read_bytes()), kept, True)


def locked(path: Path) -> str:
    """A Chinese reason not to replace ``path`` now, or ""."""
    locks = lock_files(path)
    if locks:
        return f"{path.name} 正被 Excel/WPS 打开（发现 {locks[0].name}），请关闭后重新收取"
    return ""


def write_bytes(data: bytes, dest: Path) -> None:
    write_atomically(lambda tmp: tmp.write_bytes(data), dest)


def keep_copy(src: Path, dest: Path) -> None:
    """Copy ``src`` to ``dest`` atomically, keeping its file time."""
    write_atomically(lambda tmp: shutil.copy2(src, tmp), dest)


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
        write_bytes(data, path)
        return ("new" if n == 0 else "renamed"), candidate
    raise OSError(f"图片 {name} 的同名文件过多")

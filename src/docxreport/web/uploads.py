"""Files dropped on the 收表 page, kept in a folder of their own until they are filed.

A file's name is the sender's: only its last part is kept, stripped of anything a
file name may not hold, and it is written inside the staging folder and nowhere else.
"""

from __future__ import annotations

import re
from pathlib import Path

from starlette.datastructures import UploadFile

MAX_FILE = 100 * 1024 * 1024  # one workbook, photo or .zip
MAX_REQUEST = 300 * 1024 * 1024  # one drop of many files
_BAD = re.compile(r'[\x00-\x1f<>:"/\\|?*]')
CHUNK = 1024 * 1024


def safe_name(name: str, taken: set[str]) -> str:
    """The last part of a sender's file name, made safe and unique within one drop."""
    base = re.split(r"[\\/]", name)[-1]
    base = _BAD.sub("_", base).strip(" .") or "文件"
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem, ext = stem[:100] or "文件", ext[:10]
    candidate, n = f"{stem}.{ext}" if ext else stem, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}({n}).{ext}" if ext else f"{stem}({n})"
    taken.add(candidate)
    return candidate


async def stage_uploads(files: list[UploadFile], staging: Path) -> tuple[list[Path], list[str]]:
    """Write each upload into ``staging``; return the paths and a line per file refused."""
    taken: set[str] = set()
    staged, refused = [], []
    for upload in files:
        name = safe_name(upload.filename or "", taken)
        target = staging / name
        size = 0
        with target.open("wb") as out:
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > MAX_FILE:
                    break
                out.write(chunk)
        if size > MAX_FILE:
            target.unlink()
            refused.append(f"{upload.filename}：文件超过 {MAX_FILE // (1024 * 1024)} MB，未接收")
            continue
        staged.append(target)
    return staged, refused

"""Safe file writing: never a half-written output, never a file outside its folder.

Every file docxreport writes goes through :func:`write_atomically`. It resolves the
target, refuses one that lies outside the folder it belongs to (a name taken from the
data, such as a school's 简称, must never lead elsewhere), writes a temporary file beside
it and moves that into place. ``exclusive`` creates the file only when it does not exist
yet, in one step (no check-then-write), so that ``init`` and ``new`` can never overwrite.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from docxreport.errors import OutputError

TMP_PREFIX, TMP_SUFFIX = ".~", ".tmp"  # a temporary file: .~<stem>.<random><suffix>.tmp


def file_mode() -> int:
    """The mode a new file gets under the current umask (mkstemp makes files private)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def inside(path: Path, folder: Path) -> Path:
    """``path`` with its folder resolved, when it lies in ``folder``; else :class:`OutputError`.

    The folder part is resolved (symbolic links followed, ``..`` taken out); the file name
    itself is kept, so that replacing a link replaces the link, not what it points at.
    """
    root = Path(folder).resolve()
    path = Path(path)
    target = path.parent.resolve() / path.name
    if path.name in ("", ".", "..") or (target.parent != root and root not in target.parents):
        raise OutputError(f"拒绝写入 {path}：它不在应写入的文件夹 {folder} 中")
    return target


Ready = Callable[[Path], None]


def write_atomically(
    write: Callable[[Path], None],
    out: Path,
    within: Path,
    *,
    exclusive: bool = False,
    ready: Ready | None = None,
) -> bool:
    """Write to a temporary file next to ``out`` with ``write``, then move it into place.

    ``out`` must lie in the folder ``within`` (see :func:`inside`). An interrupted or
    failed write leaves any earlier ``out`` untouched. With ``exclusive``, an existing
    ``out`` is kept and False returned; otherwise (and when written) True. ``ready`` is
    given the finished temporary file just before it takes ``out``'s name (the manifest
    notes what is about to be written, see :meth:`~.finish.manifest.Manifest.pending_hook`).
    """
    target = inside(out, within)
    if exclusive and os.path.lexists(target):
        return False  # not written: spares the work; the create below is what guarantees it
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        inside(target, within)  # a folder made in between may not lead elsewhere either
        fd, name = tempfile.mkstemp(
            prefix=f"{TMP_PREFIX}{target.stem}.",
            suffix=target.suffix + TMP_SUFFIX,
            dir=target.parent,
        )
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"无法在 {out.parent} 中写入文件：{exc}") from exc
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, file_mode())
        if ready is not None:
            ready(tmp)
        if exclusive:
            return _create(tmp, target)
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"无法写入 {out}（文件是否正被 Word/WPS/Excel 打开？）：{exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return True


def _create(tmp: Path, target: Path) -> bool:
    """Give ``tmp`` the name ``target`` only if no file has it: False when one has."""
    try:
        os.link(tmp, target)  # atomic, and fails when the name is taken
        return True
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links: reserve the name, then fill it
        try:
            os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, file_mode()))
        except FileExistsError:
            return False
        os.replace(tmp, target)
        return True


def copy_atomically(source: Path, out: Path, within: Path) -> bool:
    """A copy of ``source`` (its times too) as ``out``, a new file: a backup, say."""
    return write_atomically(lambda tmp: shutil.copy2(source, tmp), out, within, exclusive=True)


def write_bytes_atomically(
    data: bytes, out: Path, within: Path, *, exclusive: bool = False
) -> bool:
    """:func:`write_atomically` for bytes at hand."""
    return write_atomically(lambda tmp: tmp.write_bytes(data), out, within, exclusive=exclusive)

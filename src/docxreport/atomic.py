"""Safe file writing: never a half-written output."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from docxreport.errors import OutputError


def file_mode() -> int:
    """The mode a new file gets under the current umask (mkstemp makes files private)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomically(write: Callable[[Path], None], out: Path) -> None:
    """Write to a temporary file next to ``out`` with ``write``, then move it into place.

    An interrupted or failed write leaves any earlier ``out`` untouched.
    """
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            prefix=f".~{out.stem}.", suffix=out.suffix + ".tmp", dir=out.parent
        )
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"无法在 {out.parent} 中写入文件：{exc}") from exc
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, file_mode())
        os.replace(tmp, out)
    except OSError as exc:
        raise OutputError(f"无法写入 {out}（文件是否正被 Word/WPS/Excel 打开？）：{exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)

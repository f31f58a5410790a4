"""Old spreadsheet formats (.xls, WPS .et, .ods) turned into .xlsx by LibreOffice.

Schools still send .xls files saved by old Excel or by WPS. LibreOffice converts them
headless, on a profile of its own (a LibreOffice the user has open is not touched).
All files of a batch go through one soffice run.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from docxreport.finish.pdf import find_soffice, private_profile, run_soffice, soffice_command

SAVE_AS_HINT = "请在 Excel/WPS 中打开，“文件 › 另存为”选择“Excel 工作簿 (*.xlsx)”后重新收取"
_FILTER = "xlsx:Calc MS Excel 2007 XML"


def available() -> bool:
    return find_soffice() is not None


def to_xlsx(files: list[tuple[str, bytes]], timeout: int = 300) -> dict[str, bytes | str]:
    """Convert each ``(name, data)``; the .xlsx bytes by name, or a Chinese reason it failed."""
    soffice = find_soffice()
    if soffice is None:
        return {name: f"未安装 LibreOffice，无法转换；{SAVE_AS_HINT}" for name, _ in files}
    out: dict[str, bytes | str] = {}
    with tempfile.TemporaryDirectory(prefix="docxreport-convert-") as tmp:
        root = Path(tmp)
        profile, src, dest = private_profile(root), root / "in", root / "out"
        src.mkdir()
        dest.mkdir()
        paths = []
        for n, (name, data) in enumerate(files):
            path = src / f"f{n}{Path(name).suffix.lower() or '.xls'}"  # no sender's name on disk
            path.write_bytes(data)
            paths.append((name, path))
        command = soffice_command(soffice, profile, _FILTER, dest, [p for _, p in paths])
        try:
            run_soffice(command, timeout)
        except (subprocess.TimeoutExpired, OSError) as exc:
            why = "超时" if isinstance(exc, subprocess.TimeoutExpired) else str(exc)
            return {name: f"LibreOffice 转换失败（{why}）；{SAVE_AS_HINT}" for name, _ in files}
        for name, path in paths:
            made = dest / f"{path.stem}.xlsx"
            out[name] = (
                made.read_bytes()
                if made.is_file() and made.stat().st_size
                else f"LibreOffice 未能转换此文件（可能已损坏或设置了密码）；{SAVE_AS_HINT}"
            )
    return out

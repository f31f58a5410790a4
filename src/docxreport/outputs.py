"""Never lose an edit: a manifest of what the build wrote, and the checks before writing.

The manifest (``.docxreport-manifest.json`` in the year's output folder) holds the
SHA-256 of every file the build wrote. Before a report is written again:

- a file that changed since (staff edited it in Word) is kept, unless ``force``,
  in which case it is first moved to a timestamped backup beside it;
- a file that is open in Word, WPS or LibreOffice (its lock file sits beside it)
  is not written over;
- a file the manifest does not know is treated like an edited one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from docxreport.files import write_atomically

MANIFEST = ".docxreport-manifest.json"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def lock_files(path: Path) -> list[Path]:
    """Lock files that Word/WPS (``~$name``) and LibreOffice (``.~lock.name#``) leave."""
    candidates = [
        path.with_name("~$" + path.name),
        path.with_name("~$" + path.name[2:]),  # Word shortens long names
        path.with_name(f".~lock.{path.name}#"),
    ]
    return [p for p in candidates if p.exists()]


@dataclass
class Decision:
    write: bool
    reason: str = ""  # Chinese, when the file is kept
    backup: Path | None = None


@dataclass
class Manifest:
    folder: Path
    hashes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        try:
            data = json.loads(path.read_text("utf-8"))
            hashes = {str(k): str(v) for k, v in data.get("files", {}).items()}
        except (OSError, ValueError, AttributeError):
            hashes = {}
        return cls(folder, hashes)

    def key(self, path: Path) -> str:
        return path.resolve().relative_to(self.folder.resolve()).as_posix()

    def decide(self, path: Path, force: bool) -> Decision:
        """May ``path`` be (re)written? Moves an edited file aside when ``force``."""
        locks = lock_files(path)
        if locks:
            return Decision(
                False, f"文件正被 Word/WPS 打开（发现 {locks[0].name}），请关闭后重新生成"
            )
        if not path.exists():
            return Decision(True)
        recorded = self.hashes.get(self.key(path))
        if recorded == sha256(path):
            return Decision(True)
        why = "生成后被修改过" if recorded else "不是本工具上次生成的文件"
        if not force:
            return Decision(False, f"{why}，为保护修改未覆盖；确需重新生成请加 --force（会先备份）")
        backup = path.with_name(f"{path.stem}.备份-{datetime.now():%Y%m%d-%H%M%S}{path.suffix}")
        path.rename(backup)
        return Decision(True, f"{why}，已备份为 {backup.name}", backup)

    def record(self, path: Path) -> None:
        self.hashes[self.key(path)] = sha256(path)

    def save(self) -> None:
        text = json.dumps(
            {"files": dict(sorted(self.hashes.items()))}, ensure_ascii=False, indent=1
        )
        write_atomically(lambda tmp: tmp.write_text(text + "\n", "utf-8"), self.folder / MANIFEST)

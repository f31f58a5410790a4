"""Never lose an edit: a manifest of what the build wrote, and the checks before writing.

The manifest (``.docxreport-manifest.json`` in the year's output folder) holds the
SHA-256 of every file the build wrote. Before a report is written again:

- a file that changed since (staff edited it in Word) is kept, unless ``force``,
  in which case it is first moved to a timestamped backup beside it;
- a file that is open in Word, WPS or LibreOffice (its lock file sits beside it)
  is not written over;
- a file the manifest does not know is treated like an edited one;
- a report that ``refresh`` updated after staff edited it is recorded as edited, so
  that ``build`` keeps protecting it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from docxreport.atomic import write_atomically

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
    edited: set[str] = field(default_factory=set)  # holds staff's edits (refreshed since)

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        try:
            data = json.loads(path.read_text("utf-8"))
            hashes = {str(k): str(v) for k, v in data.get("files", {}).items()}
            edited = {str(k) for k in data.get("edited", [])}
        except (OSError, ValueError, AttributeError):
            hashes, edited = {}, set()
        return cls(folder, hashes, edited)

    def untouched(self, path: Path) -> bool:
        """Whether ``path`` is exactly what docxreport last wrote, with no edit of staff's."""
        key = self.key(path)
        return key not in self.edited and self.hashes.get(key) == sha256(path)

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
        if self.untouched(path):
            return Decision(True)
        why = "生成后被修改过" if recorded else "不是本工具上次生成的文件"
        if not force:
            return Decision(
                False,
                f"{why}，为保护修改未覆盖。数据有改动时请运行 docxreport refresh "
                "把新数字更新到修改过的报告中；确需重新生成请加 --force（会先备份）",
            )
        backup = path.with_name(f"{path.stem}.备份-{datetime.now():%Y%m%d-%H%M%S}{path.suffix}")
        path.rename(backup)
        self.edited.discard(self.key(path))
        return Decision(True, f"{why}，已备份为 {backup.name}", backup)

    def record(self, path: Path, edited: bool = False) -> None:
        """Remember ``path`` as written now; ``edited``: it holds staff's edits."""
        key = self.key(path)
        self.hashes[key] = sha256(path)
        if edited:
            self.edited.add(key)
        else:
            self.edited.discard(key)

    def save(self) -> None:
        data = {"files": dict(sorted(self.hashes.items())), "edited": sorted(self.edited)}
        text = json.dumps(data, ensure_ascii=False, indent=1)
        write_atomically(
            lambda tmp: tmp.write_text(text + "\n", "utf-8"), self.folder / MANIFEST, self.folder
        )

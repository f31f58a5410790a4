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

A file is recorded only once it is final (after its page numbers, say). Until then,
each version about to be written is noted as pending, one line in
``.docxreport-manifest.pending``, before it takes the file's name; a run cut off in
between (killed, the computer switched off) thus leaves a file the next run knows
for its own, and rebuilds it instead of keeping it as edited. Lines are appended,
so that reports written at once in several processes never lose each other's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from docxreport.atomic import write_atomically

MANIFEST = ".docxreport-manifest.json"
PENDING = ".docxreport-manifest.pending"  # key<TAB>sha256 of versions not yet final


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pending(journal: Path) -> dict[str, set[str]]:
    """The pending versions noted in ``journal``, by file."""
    found: dict[str, set[str]] = {}
    try:
        text = journal.read_text("utf-8")
    except (OSError, ValueError):
        return found
    for line in text.splitlines():
        key, _, digest = line.partition("\t")
        if key and len(digest) == 64:
            found.setdefault(key, set()).add(digest)
    return found


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
    pending: dict[str, set[str]] = field(default_factory=dict)  # versions not yet final
    settled: set[str] = field(default_factory=set)  # recorded final by this run

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        try:
            data = json.loads(path.read_text("utf-8"))
            hashes = {str(k): str(v) for k, v in data.get("files", {}).items()}
            edited = {str(k) for k in data.get("edited", [])}
        except (OSError, ValueError, AttributeError):
            hashes, edited = {}, set()
        return cls(folder, hashes, edited, _pending(folder / PENDING))

    def untouched(self, path: Path) -> bool:
        """Whether ``path`` is exactly what docxreport last wrote, with no edit of staff's."""
        key = self.key(path)
        return key not in self.edited and self.hashes.get(key) == sha256(path)

    def cut_off(self, path: Path) -> bool:
        """Whether ``path`` is a version a run cut off had begun to write (and not one that
        holds staff's edits): ours to write again."""
        key = self.key(path)
        return key not in self.edited and sha256(path) in self.pending.get(key, ())

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
        key = self.key(path)
        recorded = self.hashes.get(key)
        if self.untouched(path) or self.cut_off(path):
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
        self.pending.pop(key, None)
        self.settled.add(key)
        if edited:
            self.edited.add(key)
        else:
            self.edited.discard(key)

    def pending_hook(self, path: Path) -> Callable[[Path], None]:
        """For :func:`~docxreport.atomic.write_atomically`: note the version about to take
        ``path``'s name as pending (works in a worker process too: it only appends)."""
        key, journal = self.key(path), self.folder / PENDING

        def ready(tmp: Path) -> None:
            with open(journal, "a", encoding="utf-8") as fh:
                fh.write(f"{key}\t{sha256(tmp)}\n")

        return ready

    def settle(self) -> None:
        """At the end of a run: forget the pending versions of the files it made final."""
        journal = self.folder / PENDING
        left = {k: v for k, v in _pending(journal).items() if k not in self.settled}
        self.pending = left
        if not left:
            journal.unlink(missing_ok=True)
            return
        lines = "".join(f"{k}\t{h}\n" for k, hashes in left.items() for h in sorted(hashes))
        write_atomically(lambda tmp: tmp.write_text(lines, "utf-8"), journal, self.folder)

    def save(self) -> None:
        data = {"files": dict(sorted(self.hashes.items())), "edited": sorted(self.edited)}
        text = json.dumps(data, ensure_ascii=False, indent=1)
        write_atomically(
            lambda tmp: tmp.write_text(text + "\n", "utf-8"), self.folder / MANIFEST, self.folder
        )

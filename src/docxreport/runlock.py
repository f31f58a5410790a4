"""One run at a time per output folder.

``build``, ``refresh`` and ``confirm`` write into a year's output folder, ``adopt`` into the
templates folder. Two runs writing the same folder at once would each take the other's
files for edits (and the manifest would record whichever finished last), so each run
holds a lock file there, ``.docxreport.lock``, with its process id, computer and start
time, created exclusively. A second run says who holds it and stops. A lock whose process
is gone (the run was killed, or the computer restarted) is taken over, with a line saying
so; then the temporary files (``.~*.tmp``) that run left, older than the new lock, are
removed.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path

from docxreport.atomic import TMP_PREFIX, TMP_SUFFIX, file_mode
from docxreport.errors import DocxreportError, OutputError

LOCK = ".docxreport.lock"


class LockedError(DocxreportError):
    """Another run holds the folder."""


@dataclass(frozen=True)
class Holder:
    """Who holds a lock: a process on a computer, since a time, running a command."""

    pid: int
    host: str
    started: float  # seconds since the epoch
    command: str
    boot: str = ""  # the process's own start, where the system tells it (tells a reused id)

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.started))
        return f"docxreport {self.command}（计算机 {self.host}，进程 {self.pid}，开始于 {when}）"

    def alive(self) -> bool:
        """Whether the holding process still runs (on another computer: assumed so)."""
        if self.host != socket.gethostname():
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True  # someone else's process with that id
        except OSError:
            return True
        return not self.boot or _process_start(self.pid) in ("", self.boot)


def _process_start(pid: int) -> str:
    """When process ``pid`` started, in clock ticks since boot (Linux); "" elsewhere."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def _read(path: Path) -> tuple[str, Holder | None]:
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return "", None
    except OSError:
        text = ""
    try:
        data = json.loads(text)
        return text, Holder(
            int(data["pid"]),
            str(data["host"]),
            float(data["started"]),
            str(data.get("command", "")),
            str(data.get("boot", "")),
        )
    except (ValueError, KeyError, TypeError):
        return text, Holder(0, socket.gethostname(), 0.0, "?")  # unreadable: a dead run's


def _create(path: Path, me: Holder) -> bool:
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, file_mode())
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(me), fh, ensure_ascii=False)
    return True


@contextmanager
def run_lock(
    folder: Path, command: str, notify: Callable[[str], None] = lambda line: None
) -> Iterator[Holder]:
    """Hold ``folder`` for this run of ``command``; :class:`LockedError` when another run does.

    ``notify`` is told when a dead run's lock is taken over. A folder this creates is
    removed again when nothing was written into it.
    """
    folder = Path(folder)
    made = [p for p in (folder, *folder.parents) if not p.exists()]  # innermost first
    path = folder / LOCK
    pid = os.getpid()
    me = Holder(pid, socket.gethostname(), time.time(), command, _process_start(pid))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _take(path, me, folder, notify)
    except OSError as exc:
        raise OutputError(f"无法在 {folder} 中写入文件：{exc}") from exc
    try:
        sweep(folder, me.started)
        yield me
    finally:
        if _read(path)[1] == me:
            path.unlink(missing_ok=True)
        for created in made:  # only while empty: nothing was written into them
            try:
                created.rmdir()
            except OSError:
                break


def _take(path: Path, me: Holder, folder: Path, notify: Callable[[str], None]) -> None:
    """Create the lock ``path`` for ``me``, taking over a dead run's; else LockedError."""
    while not _create(path, me):
        text, holder = _read(path)
        if holder is None:
            continue  # released in between: try again
        if holder.alive():
            raise LockedError(
                f"{folder} 正由另一次运行使用：{holder.describe()}。请等它结束后再运行；"
                f"若确认没有在运行（如另一台计算机已关机），可删除 {path} 后重试"
            )
        if _read(path)[0] == text:  # still the dead run's lock, not a new one
            path.unlink(missing_ok=True)
            notify(f"接管 {path}：上次运行 {holder.describe()} 已不在，没有正常结束")


def sweep(folder: Path, before: float) -> list[Path]:
    """Remove the temporary files (``.~*.tmp``) an interrupted run left in ``folder`` and
    its sub-folders, those older than ``before`` (the start of the lock now held)."""
    removed = []
    for path in folder.rglob(f"{TMP_PREFIX}*{TMP_SUFFIX}"):
        with suppress(OSError):
            if path.is_file() and path.stat().st_mtime < before:
                path.unlink()
                removed.append(path)
    return removed

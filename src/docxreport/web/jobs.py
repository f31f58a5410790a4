"""Runs of the command line started from the workbench, one at a time.

A run is the real command (``docxreport build …``) in a process of its own, so the
page shows exactly what the terminal would: the same progress lines, summary, warnings
and exit status. Its ``[i/n]`` lines are the progress events the page draws as a bar.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PROGRESS = re.compile(r"^\[(\d+)/(\d+)\]\s*(.*)$")
EXIT_WORDS = {0: "完成", 1: "未完成（有错误，见上）", 3: "完成（有报告被更新）"}


@dataclass
class Run:
    """One command run: its output lines as they come, its progress, and its exit status."""

    id: str
    title: str
    argv: list[str]
    lines: list[str] = field(default_factory=list)
    done: int = 0
    total: int = 0
    current: str = ""
    returncode: int | None = None
    started: float = field(default_factory=time.time)
    finished: float | None = None
    process: subprocess.Popen | None = field(default=None, repr=False)
    scratch: Path | None = field(default=None, repr=False)  # removed when the run ends

    @property
    def running(self) -> bool:
        return self.returncode is None

    @property
    def outcome(self) -> str:
        if self.returncode is None:
            return "正在运行"
        if self.returncode < 0:
            return "已中止"
        return EXIT_WORDS.get(self.returncode, f"结束（退出状态 {self.returncode}）")

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "lines": self.lines,
            "done": self.done,
            "total": self.total,
            "current": self.current,
            "running": self.running,
            "returncode": self.returncode,
            "outcome": self.outcome,
        }

    def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for raw in self.process.stdout:
            line = raw.rstrip("\n")
            self.lines.append(line)
            m = PROGRESS.match(line)
            if m:
                self.done, self.total, self.current = int(m[1]), int(m[2]), m[3]
        self.returncode = self.process.wait()
        self.finished = time.time()
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)


class Busy(Exception):
    """Another run is still going."""


class Runs:
    """The workbench's runs; a new one is refused while another is going."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self.runs: dict[str, Run] = {}
        self._lock = threading.Lock()

    def start(
        self,
        title: str,
        args: list[str],
        notes: list[str] | None = None,
        scratch: Path | None = None,
    ) -> Run:
        """Start ``docxreport <args>``; ``notes`` open its output, ``scratch`` goes when it ends."""
        with self._lock:
            going = [r for r in self.runs.values() if r.running]
            if going:
                if scratch is not None:
                    shutil.rmtree(scratch, ignore_errors=True)
                raise Busy(going[0].title)
            argv = [sys.executable, "-m", "docxreport", *args]
            env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
            run = Run(secrets.token_hex(8), title, argv, list(notes or []), scratch=scratch)
            run.process = subprocess.Popen(
                argv,
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                encoding="utf-8",
                errors="replace",
                env=env,
            )
            self.runs[run.id] = run
        threading.Thread(target=run._read, daemon=True).start()
        return run

    def get(self, run_id: str) -> Run | None:
        return self.runs.get(run_id)

    def latest(self) -> Run | None:
        return max(self.runs.values(), key=lambda r: r.started, default=None)

    def stop_all(self) -> None:
        """End any run still going (the workbench is closing)."""
        for run in self.runs.values():
            if run.running and run.process is not None:
                run.process.terminate()
                try:
                    run.process.wait(10)
                except subprocess.TimeoutExpired:
                    run.process.kill()

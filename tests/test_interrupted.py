"""Interrupted and concurrent runs: one run at a time per output folder, a run cut off
leaves nothing that the next run mistakes for an edit, and no process outlives its run.

A fake ``soffice`` that only sleeps stands in for LibreOffice, so that a build can be
stopped at a known point: while its page numbers are being laid out.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest
from click.testing import CliRunner

from docxreport.cli import main
from docxreport.finish.manifest import MANIFEST, PENDING
from docxreport.runlock import LOCK, LockedError, run_lock

ROOT = Path(__file__).resolve().parents[1]
SCHOOL = "市艺校"
EDITED = "生成后被修改过"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals and process groups")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "inputs" / "2024", tmp_path / "inputs" / "2024")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    return tmp_path


def args(folder: Path, *extra: str) -> list[str]:
    return [
        "build",
        "--inputs",
        str(folder / "inputs"),
        "--templates",
        str(folder / "templates"),
        "--out",
        str(folder / "out"),
        "--school",
        SCHOOL,
        *extra,
    ]


@pytest.fixture
def sleeping_soffice(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """A fake soffice that notes its process id, then sleeps; and the environment using it."""
    marker = tmp_path / "soffice-started"
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\necho $$ >> "{marker}"\nexec sleep 120\n')
    fake.chmod(0o755)
    env = {**os.environ, "DOCXREPORT_SOFFICE": str(fake)}
    yield marker, env
    for pid in marker.read_text().split() if marker.exists() else []:
        with suppress(OSError):
            os.kill(int(pid), signal.SIGKILL)


def start_build(folder: Path, env: dict[str, str], *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "docxreport", *args(folder, *extra)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal would give it
    )


def wait_for(path: Path, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(proc.communicate())
        assert time.monotonic() < deadline, "the build never reached its page numbers"
        time.sleep(0.1)


def run(*cli: str) -> object:
    result = CliRunner().invoke(main, list(cli))
    assert "Traceback" not in result.output, result.output
    return result


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.rglob(".~*.tmp"))


def gone(pid: int) -> bool:
    """Whether process ``pid`` has ended (a zombie waiting to be reaped counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")


def test_a_build_killed_during_page_numbers_is_rebuilt_without_force(folder, sleeping_soffice):
    marker, env = sleeping_soffice
    year = folder / "out" / "2024"
    proc = start_build(folder, env)
    wait_for(marker, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (year / LOCK).exists() and (year / PENDING).exists()  # what the cut-off run left
    stale = year / "学校" / ".~巴彦淖尔市艺术学校质量年度报告（2024）.x1y2.docx.tmp"
    stale.write_bytes(b"half a report")
    os.utime(stale, (time.time() - 60, time.time() - 60))

    again = run(*args(folder, "--no-page-numbers"))
    assert again.exit_code == 0, again.output
    assert EDITED not in again.output
    assert "接管" in again.output and f"进程 {proc.pid}" in again.output
    assert leftovers(year) == []
    assert not (year / LOCK).exists() and not (year / PENDING).exists()
    assert EDITED not in run(*args(folder, "--no-page-numbers")).output


def test_a_second_build_says_who_holds_the_folder_and_exits_1(folder, sleeping_soffice):
    marker, env = sleeping_soffice
    first = start_build(folder, env)
    try:
        wait_for(marker, first)
        second = run(*args(folder, "--no-page-numbers"))
        assert second.exit_code == 1
        assert "正由另一次运行使用" in second.output
        assert "docxreport build" in second.output and f"进程 {first.pid}" in second.output
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    after = run(*args(folder, "--no-page-numbers"))
    assert after.exit_code == 0 and EDITED not in after.output, after.output


def test_two_builds_started_together_never_take_each_others_reports_for_edits(folder):
    env = {**os.environ, "DOCXREPORT_SOFFICE": "/nonexistent/soffice"}
    procs = [start_build(folder, env, "--no-page-numbers") for _ in range(2)]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    for code, out, err in results:
        assert "Traceback" not in out + err
        assert code == 0 or "正由另一次运行使用" in err, (code, out, err)
        assert EDITED not in out + err
    assert any(code == 0 for code, _, _ in results)
    third = run(*args(folder, "--no-page-numbers"))
    assert third.exit_code == 0 and EDITED not in third.output, third.output


def test_ctrl_c_prints_one_line_and_leaves_a_clean_folder(folder, sleeping_soffice):
    marker, env = sleeping_soffice
    year = folder / "out" / "2024"
    proc = start_build(folder, env)
    wait_for(marker, proc)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends: the whole foreground group
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in out + err
    assert [line for line in err.splitlines() if line.strip()] == ["已中断，未完成的输出没有写入。"]
    assert all(gone(int(pid)) for pid in marker.read_text().split())  # soffice stopped too
    assert not (year / LOCK).exists() and leftovers(year) == []
    again = run(*args(folder, "--no-page-numbers"))
    assert again.exit_code == 0 and EDITED not in again.output, again.output


WORKERS = textwrap.dedent(
    """
    import os, sys, time
    from docxreport.pool import run_ordered

    def work(n):  # the first job ends at once: its worker waits idle for more
        open(os.path.join(sys.argv[1], f"{os.getpid()}-{n}"), "w").close()
        if n == 2:
            time.sleep(120)

    try:
        for _ in run_ordered(work, [1, 2], 2):
            pass
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    """
)


def start_workers(tmp_path: Path) -> tuple[subprocess.Popen, list[int]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", WORKERS, str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while len(list(tmp_path.iterdir())) < 2:
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    time.sleep(0.5)  # the first worker back to waiting
    return proc, [int(p.name.split("-")[0]) for p in tmp_path.iterdir()]


def wait_gone(pids: list[int], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not all(gone(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    proc, workers = start_workers(tmp_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    try:
        assert wait_gone(workers), "workers outlived their parent"
    finally:
        for pid in workers:
            with suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def test_ctrl_c_stops_the_workers_without_their_tracebacks(tmp_path: Path) -> None:
    proc, workers = start_workers(tmp_path)
    os.killpg(proc.pid, signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    assert err.strip() == "interrupted"
    assert wait_gone(workers)


def test_a_stale_lock_is_taken_over_with_a_line(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock = tmp_path / LOCK
    lock.write_text(
        json.dumps({"pid": dead.pid, "host": os.uname().nodename, "started": 0, "command": "build"})
    )
    lines: list[str] = []
    with run_lock(tmp_path, "refresh", notify=lines.append) as me:
        assert json.loads(lock.read_text())["pid"] == me.pid == os.getpid()
    assert len(lines) == 1 and "接管" in lines[0] and f"进程 {dead.pid}" in lines[0]
    assert not lock.exists()


def test_a_live_lock_is_refused(tmp_path: Path) -> None:
    held = run_lock(tmp_path, "confirm")
    with held, pytest.raises(LockedError, match="docxreport confirm"), run_lock(tmp_path, "build"):
        pass
    assert not (tmp_path / LOCK).exists()
    assert (tmp_path / MANIFEST).exists() is False

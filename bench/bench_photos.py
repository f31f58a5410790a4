"""Build the sample with a phone photo for each of its 53 photo rows: size, time, memory.

    .venv/bin/python bench/bench_photos.py [--page-numbers]

The photos are 4000 × 3000 JPEGs (about 3.4 MB each, EXIF and GPS included, every third a
portrait shot stored landscape with Orientation 6), made by ``tests/fake_photos.py`` in a
temporary copy of ``inputs/``. The build runs twice in a child process each time: cold (every
photo prepared) and warm (prepared photos taken from the cache). Peak memory is the child's
maximum resident set size.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

LIMIT_MB = 25.0  # a report must stay small enough to e-mail


def build(root: Path, page_numbers: bool) -> tuple[float, float]:
    """One build in a child process: wall seconds and the child's peak RSS in MB."""
    args = [sys.executable, "-m", "docxreport", "build", "--inputs", str(root / "inputs")]
    args += ["--templates", str(ROOT / "templates"), "--out", str(root / "out")]
    if not page_numbers:
        args.append("--no-page-numbers")
    start = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = child.stdout.read() if child.stdout else b""
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(output.decode(errors="replace"))
    return seconds, usage.ru_maxrss / 1024


def make_photos(year_folder: Path) -> list[Path]:
    """The photos, made in a child process: this process stays small, so the builds it
    forks start small too, and their peak memory is their own."""
    code = "import sys, fake_photos; fake_photos.attach_photos(__import__('pathlib').Path(sys.argv[1]))"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tests")}
    subprocess.run([sys.executable, "-c", code, str(year_folder)], check=True, env=env)
    return sorted((year_folder / "图片").glob("*.jpg"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page-numbers", action="store_true", help="also lay out with LibreOffice")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-photos-") as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "inputs", root / "inputs")
        start = time.perf_counter()
        files = make_photos(root / "inputs" / "2024")
        originals = sum(f.stat().st_size for f in files) / 2**20
        print(
            f"{len(files)} phone photos, {originals:.0f} MB, made in "
            f"{time.perf_counter() - start:.1f} s"
        )
        cold = build(root, args.page_numbers)
        shutil.rmtree(root / "out" / "2024")  # keep the photo cache, drop the reports
        warm = build(root, args.page_numbers)
        print(f"{'build':<28}{'wall s':>8}{'peak RSS MB':>14}")
        print(f"{'cold (photos prepared)':<28}{cold[0]:8.1f}{cold[1]:14.0f}")
        print(f"{'warm (photos from cache)':<28}{warm[0]:8.1f}{warm[1]:14.0f}")
        reports = sorted((root / "out" / "2024").rglob("*.docx"), key=lambda p: -p.stat().st_size)
        print(f"{'report':<40}{'MB':>8}")
        for report in reports:
            print(f"{report.name[:38]:<40}{report.stat().st_size / 2**20:8.1f}")
        largest = reports[0].stat().st_size / 2**20
        print(
            f"largest report {largest:.1f} MB (limit {LIMIT_MB:.0f} MB): "
            + ("ok" if largest < LIMIT_MB else "TOO LARGE")
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

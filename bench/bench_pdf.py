"""Time PDF conversion of N reports: one soffice run each, all in one run, or in parallel runs.

    .venv/bin/python bench/bench_pdf.py [-n 8] [report.docx]
    .venv/bin/python bench/bench_pdf.py --builds

The report (by default the built city report) is copied N times under distinct
names. Each way is timed once, cold: every soffice run starts with a new profile.

With ``--builds``: ``docxreport build`` of the sample (with page numbers) into an
empty folder, then again unchanged, each timed with the LibreOffice layouts it took.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from docxreport.finish import pdf as pdf

DEFAULT = Path("out/2024/巴彦淖尔市中等职业教育质量年度报告（2024）.docx")
ROOT = Path(__file__).resolve().parent.parent


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(label: str, run: Callable[[], object]) -> float:
    """Run once; print wall-clock seconds and the CPU seconds soffice used."""
    start, cpu = time.perf_counter(), _child_cpu()
    run()
    seconds = time.perf_counter() - start
    print(f"{label:<40}{seconds:8.1f} s wall {_child_cpu() - cpu:8.1f} s CPU", flush=True)
    return seconds


def builds() -> None:
    """A first build of the sample and an unchanged rebuild: wall time and layouts of each."""
    with tempfile.TemporaryDirectory(prefix="bench-build-") as out:
        command = [sys.executable, "-m", "docxreport", "build", "--out", out]
        print(f"docxreport build of {ROOT / 'inputs'}, {os.cpu_count()} CPUs")
        for label in ("first build", "rebuild, nothing changed"):
            start, cpu = time.perf_counter(), _child_cpu()
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
            seconds, cpu = time.perf_counter() - start, _child_cpu() - cpu
            found = re.search(r"(\d+) 份报告共排版 (\d+) 次", done.stdout)
            layouts = f"{found[2]} layouts for {found[1]} reports" if found else "layouts not shown"
            failed = f"   (exit {done.returncode})" if done.returncode else ""
            print(
                f"{label:<28}{seconds:8.1f} s wall {cpu:8.1f} s CPU   {layouts}{failed}", flush=True
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docx", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("-n", type=int, default=8, help="number of reports (default 8)")
    parser.add_argument("--builds", action="store_true", help="time a build and a rebuild")
    args = parser.parse_args()
    if pdf.find_soffice() is None:
        print("未找到 LibreOffice（soffice）", file=sys.stderr)
        return 1
    if args.builds:
        builds()
        return 0
    if not args.docx.is_file():
        print(f"找不到 {args.docx}：请先运行 docxreport build", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        root = Path(tmp)
        docs = [root / f"report-{i + 1}.docx" for i in range(args.n)]
        for doc in docs:
            shutil.copy(args.docx, doc)
        print(f"{args.docx.name}, {args.n} copies, {os.cpu_count()} CPUs, {pdf.find_soffice()}")
        timed("1 report", lambda: pdf.convert(docs[:1], root / "one"))
        seq = timed(
            f"{args.n} reports, one soffice run each",
            lambda: [pdf.convert([d], root / "seq") for d in docs],
        )
        batch = timed(f"{args.n} reports, one soffice run", lambda: pdf.convert(docs, root / "all"))
        for jobs in sorted({2, 4, args.n}):
            if jobs <= args.n:
                timed(
                    f"{args.n} reports, {jobs} soffice runs in parallel",
                    lambda j=jobs: pdf.convert(docs, root / f"jobs{j}", jobs=j),
                )
        print(f"one run for all vs one run each: {seq / batch:.1f}× faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())

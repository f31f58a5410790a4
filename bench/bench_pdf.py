"""Time PDF conversion of N reports: one soffice run each, all in one run, or in parallel runs.

    .venv/bin/python bench/bench_pdf.py [-n 8] [report.docx]

The report (by default the built city report) is copied N times under distinct
names. Each way is timed once, cold: every soffice run starts with a new profile.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from docxreport.finish import pdf as pdf

DEFAULT = Path("out/2024/巴彦淖尔市中等职业教育质量年度报告（2024）.docx")


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docx", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("-n", type=int, default=8, help="number of reports (default 8)")
    args = parser.parse_args()
    if pdf.find_soffice() is None:
        print("未找到 LibreOffice（soffice）", file=sys.stderr)
        return 1
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

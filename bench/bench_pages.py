"""How far the city report's page estimate is from its laid-out length.

    .venv/bin/python bench/bench_pages.py [--schools 7 40 100] [--select default all 12]

For each size, the sample is grown to that many schools in a temporary folder (copies of
the sample's workbooks, as bench_build.py grows them), ``docxreport check`` writes the
selection sheet, the selection is set (``default``: left blank; ``all``: every row 是;
``12``: the first twelve cases 是), and ``docxreport build --city-only`` lays the report
out with LibreOffice. ``--photos`` gives every photo row a phone-sized JPEG first (as
bench_photos.py does; the sample itself names no photo files, so its photos print as
placeholder boxes). Prints, per run, the estimate ``check`` printed, the pages the
build counted, and the error.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
from bench_build import DOCXREPORT, SAMPLE, TEMPLATES, grow
from bench_photos import make_photos

from docxreport import layout as L


def choose(city: Path, how: str) -> None:
    """Set 入选全市报告 in the selection sheet: every row, or the first twelve cases."""
    if how == "default":
        return
    wb = openpyxl.load_workbook(city)
    ws = wb[L.SELECTION_SHEET]
    picked = 0
    for r in range(2, ws.max_row + 1):
        if how == "all" or (ws[f"B{r}"].value == "案例" and picked < int(how)):
            ws[f"G{r}"] = "是"
            picked += ws[f"B{r}"].value == "案例"
    wb.save(city)


def run(schools: int, how: str, photos: bool = False) -> tuple[int | None, int | None, str]:
    with tempfile.TemporaryDirectory(prefix="docxreport-pages-") as tmp:
        inputs = Path(tmp) / "inputs"
        if schools == 7:
            import shutil

            shutil.copytree(SAMPLE / "2024", inputs / "2024")
        else:
            grow(inputs, schools)
        if photos:
            make_photos(inputs / "2024")
        args = ["--inputs", str(inputs), "--templates", str(TEMPLATES)]
        subprocess.run([*DOCXREPORT, "check", *args], capture_output=True, check=False)
        choose(inputs / "2024" / L.CITY_FILE, how)
        done = subprocess.run(
            [*DOCXREPORT, "build", *args, "--out", str(Path(tmp) / "out"), "--city-only"],
            capture_output=True,
            text=True,
            check=False,
        )
        out = done.stdout
        est = re.search(r"全市报告约 (\d+) 页（案例 (\d+) 个，照片 (\d+) 张）", out)
        real = re.search(r"排版后共 (\d+) 页", out)
        what = f"案例 {est.group(2)}，照片 {est.group(3)}" if est else out[-300:]
        return (int(est.group(1)) if est else None, int(real.group(1)) if real else None, what)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, nargs="+", default=[7, 40])
    parser.add_argument("--select", nargs="+", default=["default", "all"])
    parser.add_argument("--photos", action="store_true", help="give every photo row a JPEG")
    args = parser.parse_args()
    print("| 学校 | 遴选 | 内容 | 估计 | 排版 | 误差 |")
    print("| --- | --- | --- | --- | --- | --- |")
    worst = 0.0
    for n in args.schools:
        for how in args.select:
            estimate, real, what = run(n, how, args.photos)
            error = (estimate - real) / real if estimate and real else float("nan")
            worst = max(worst, abs(error))
            print(f"| {n} | {how} | {what} | {estimate} | {real} | {error:+.1%} |", flush=True)
    return 0 if worst <= 0.15 else 1


if __name__ == "__main__":
    sys.exit(main())

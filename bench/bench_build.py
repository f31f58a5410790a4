"""How fast docxreport checks and builds, against the floor of the same work.

    .venv/bin/python bench/bench_build.py [--schools 400] [--skip-province]

Prints one table:

- the floor: unzipping, parsing, serialising and deflating the built city report
  (what any tool that writes this document must at least do);
- a plain docxtpl render of the city template with a flat context computed beforehand
  (every figure, change and table ready as text), as a hand-written script would cost;
- one city report and one school report rendered by docxreport, in this process, each
  against the floor of its own output;
- ``docxreport check`` and ``docxreport build --no-page-numbers`` of the sample, as commands;
- a province: the sample grown to N schools (copies of the sample's workbooks under new
  names, filled in with openpyxl, in a temporary folder), checked and built, with the peak
  memory of the build.

Ratios are to the floor measured in the same run. Each in-process figure is the best of a
few runs; each command runs once, cold. The target column gives the issue's target and
whether this run met it.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
from docxtpl import DocxTemplate
from lxml import etree

from docxreport import build as B
from docxreport import layout as L
from docxreport.catalog import default_catalog
from docxreport.load import load_year
from docxreport.page import LANDSCAPE_WIDTH_MM, TEXT_WIDTH_MM
from docxreport.render import load_template
from docxreport.render.context import ChangeText, Context, Xml
from docxreport.render.marks import Marks
from docxreport.render.tables import cell_style_id, grid_xml
from docxreport.view.report import make_view

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs"
TEMPLATES = ROOT / "templates"
DOCXREPORT = [sys.executable, "-m", "docxreport"]


def best(run: Callable[[], object], times: int = 5) -> float:
    seconds = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
    return min(seconds)


def floor(docx: Path) -> float:
    """Unzip, parse every XML part, serialise it and deflate it again, in memory."""
    data = docx.read_bytes()

    def once() -> None:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
            for info in zin.infolist():
                part = zin.read(info)
                if info.filename.endswith((".xml", ".rels")):
                    part = etree.tostring(etree.fromstring(part))
                zout.writestr(info.filename, part, zipfile.ZIP_DEFLATED)

    return best(once)


def plain_docxtpl(data, cat, folder: Path, out: Path) -> float:
    """docxtpl alone: the city template, every value computed beforehand as plain text."""
    view = make_view(data, cat, None, folder / L.PHOTO_DIR)
    tpl = load_template(TEMPLATES / B.CITY_TEMPLATE)
    probe = Context(view, tpl, Marks())
    style = cell_style_id(tpl.docx)
    figures = {key: f.text for key, f in view.figures.items()}
    tables = {
        tid: grid_xml(t.grid, LANDSCAPE_WIDTH_MM if t.landscape else TEXT_WIDTH_MM, style)
        for tid, t in view.tables.items()
    }
    changes = {
        key: ChangeText(m.word, m.abs, m.pct, m.known, m.flat, not m.pct_figure.empty)
        for key, m in view.changes.items()
    }
    flat = {**probe.names()}
    flat.update(
        v=lambda key, period="curr": figures[(key, period)],
        change=lambda key: changes[key],
        table=lambda tid, school=None: Xml(tables[tid]),
        figures=lambda section: "",
        cases=lambda section: "",
    )

    def once() -> None:
        tpl = DocxTemplate(TEMPLATES / B.CITY_TEMPLATE)
        tpl.render(flat, autoescape=True)
        tpl.save(out)

    return best(once, 3)


def docxreport_city(data, cat, folder: Path, out: Path) -> float:
    job = B.plan(data, TEMPLATES, out, city=True, schools=[])[0]
    return best(lambda: B.run_job(job, data, cat, folder), 3)


def docxreport_school(data, cat, folder: Path, out: Path) -> float:
    """The sample's first school's report, in this process."""
    job = B.plan(data, TEMPLATES, out, city=False, schools=[data.schools[0].school.short])[0]
    return best(lambda: B.run_job(job, data, cat, folder), 3)


# Runs the command given and prints its wall seconds and the peak RSS (KB) of its processes.
# A small process of its own: a child forked from the benchmark would count the benchmark's
# pages until it runs the command, and RUSAGE_CHILDREN keeps the largest child ever waited for.
_MEASURE = (
    "import resource, subprocess, sys, time; start = time.perf_counter();"
    "code = subprocess.run(sys.argv[1:]).returncode; seconds = time.perf_counter() - start;"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss;"
    "print(f'{seconds} {peak}', file=sys.stderr); sys.exit(code)"
)


def command(*args: str) -> tuple[float, int]:
    """Run docxreport once: (wall seconds, peak RSS in MB of it or any process it started)."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *DOCXREPORT, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"docxreport {' '.join(args)} failed ({done.returncode})")
    seconds, peak = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(peak) // 1024


def grow(inputs: Path, n: int) -> None:
    """The sample's year folder with ``n`` schools: the sample's seven, then copies of them
    under new names, each workbook filled in (school and full name) with openpyxl."""
    src, dst = SAMPLE / "2024", inputs / "2024"
    shutil.copytree(src, dst)
    city = openpyxl.load_workbook(dst / L.CITY_FILE)
    registry = city[L.REGISTRY_SHEET]
    originals = [
        (row[1].value, row[2].value) for row in registry.iter_rows(min_row=2) if row[1].value
    ]
    books = {
        short: openpyxl.load_workbook(src / L.SCHOOL_DIR / f"{short}.xlsx")
        for short, _ in originals
    }
    for i in range(len(originals), n):
        short, full = originals[i % len(originals)]
        new_short, new_full = f"{short}{i + 1:03d}", f"{full}（{i + 1:03d}）"
        registry.append([i + 1, new_short, new_full, None, None])
        book = books[short]
        info = book[L.INFO_SHEET]
        info["B2"], info["B3"] = new_short, new_full
        book.save(dst / L.SCHOOL_DIR / f"{new_short}.xlsx")
        info["B2"], info["B3"] = short, full
    city.save(dst / L.CITY_FILE)


def row(what: str, seconds: float, base: float, note: str = "", target: str = "") -> None:
    ratio = f"{seconds / base:7.1f}×" if base else ""
    print(f"| {what:<44} | {seconds * 1000:9.0f} ms | {ratio:>8} | {target:<10} | {note}")


def within(seconds: float, limit: float) -> str:
    return f"≤ {limit:g} s {'✓' if seconds <= limit else '✗'}"


def under(ratio: float, limit: float) -> str:
    return f"≤ {limit:g}× {'✓' if ratio <= limit else '✗'}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=400, help="schools in the province run")
    parser.add_argument("--skip-province", action="store_true", help="only the sample")
    args = parser.parse_args()
    cat = default_catalog()
    loaded = load_year(SAMPLE, None, cat)
    assert loaded.data is not None, "the sample has errors"
    data = loaded.data
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        root = Path(tmp)
        docxreport_city(data, cat, loaded.folder, root / "one")  # warms the caches
        docxreport_school(data, cat, loaded.folder, root / "one")
        city = next((root / "one").glob("*/*.docx"))
        school = next((root / "one").rglob("学校/*.docx"))
        base, school_base = floor(city), floor(school)
        print(
            f"{os.cpu_count()} CPUs; city report {city.stat().st_size // 1024} KB, "
            f"school report {school.stat().st_size // 1024} KB"
        )
        print(f"| {'what':<44} | {'wall':>12} | {'/ floor':>8} | {'target':<10} | note")
        print(f"| {'-' * 44} | {'-' * 12} | {'-' * 8} | {'-' * 10} | ---")
        row("floor: unzip, parse, serialise, deflate", base, base, "the city report")
        row(
            "plain docxtpl, flat context",
            plain_docxtpl(data, cat, loaded.folder, root / "p.docx"),
            base,
        )
        one = docxreport_city(data, cat, loaded.folder, root / "one")
        row("docxreport: one city report", one, base, target=under(one / base, 3))
        row("floor: the same, a school report", school_base, school_base)
        one = docxreport_school(data, cat, loaded.folder, root / "one")
        row("docxreport: one school report", one, school_base, target=under(one / school_base, 3))
        seconds, _ = command("check")
        row("check, sample (8 workbooks)", seconds, 0, target=within(seconds, 0.6))
        out = root / "sample-out"
        seconds, peak = command("build", "--no-page-numbers", "--out", str(out))
        row(
            "build --no-page-numbers, sample (8 reports)",
            seconds,
            0,
            f"peak {peak} MB",
            within(seconds, 1.5),
        )
        row("  per report", seconds / 8, base)
        if args.skip_province:
            return 0
        inputs = root / "province"
        start = time.perf_counter()
        grow(inputs, args.schools)
        print(
            f"(province inputs: {args.schools} schools made in {time.perf_counter() - start:.0f} s)"
        )
        seconds, _ = command("check", "--inputs", str(inputs), "--templates", str(TEMPLATES))
        row(
            f"check, province ({args.schools + 1} workbooks)",
            seconds,
            0,
            target=within(seconds, 15),
        )
        out = root / "province-out"
        seconds, peak = command(
            "build", "--no-page-numbers", "--inputs", str(inputs), "--out", str(out)
        )
        row(
            f"build --no-page-numbers, province ({args.schools + 1})",
            seconds,
            0,
            f"peak {peak} MB ({'≤ 400 MB ✓' if peak <= 400 else '> 400 MB ✗'})",
            within(seconds, 60),
        )
        row("  per report", seconds / (args.schools + 1), base)
    return 0


if __name__ == "__main__":
    sys.exit(main())

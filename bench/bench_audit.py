"""The audit of hand-typed figures on fully hand-typed prose: how many figures it checks,
how many warnings it gives (each printed, to be judged by hand), and how long it takes.

    python bench/bench_audit.py [published.txt]

Two inputs, both against the sample workbooks (inputs/2024):
- the sample city report as built, with every mark removed (its figures all hand-typed);
- a published report's text (default: ../shared/reference/*.txt), one paragraph a line,
  chapter headings recognised by their numbers ("1.10 培养规模").
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

from docx.oxml.ns import qn

from docxreport.catalog import default_catalog
from docxreport.figureaudit import HIDDEN, Auditor, audit_report
from docxreport.load import load_year
from docxreport.render.copies import Plain
from docxreport.render.patch import ReportFile
from docxreport.view.report import make_view

ROOT = Path(__file__).resolve().parents[1]
_HEADING = re.compile(r"^(\d+(\.\d+)*|[一二三四五六七八九十]+、|挑战 ?\d+)\s*\S{2,30}$")


def built_unmarked(folder: Path) -> Path:
    from click.testing import CliRunner

    from docxreport.cli import main

    out = folder / "out"
    result = CliRunner().invoke(
        main,
        [
            "build",
            "--inputs",
            str(ROOT / "inputs"),
            "--templates",
            str(ROOT / "templates"),
            "--out",
            str(out),
            "--no-page-numbers",
        ],
    )
    assert result.exit_code == 0, result.output
    return out / "2024"


def corrected(folder: Path):  # type: ignore[no-untyped-def]
    """The sample's data with 市一职's 在校生 corrected from 2955 to 3055."""
    import shutil

    import openpyxl

    shutil.copytree(ROOT / "inputs", folder / "inputs2")
    book = folder / "inputs2" / "2024" / "学校" / "市一职.xlsx"
    wb = openpyxl.load_workbook(book)
    wb["办学规模"]["E4"] = 3055
    wb.save(book)
    return load_year(folder / "inputs2", 2024, default_catalog()).data


def text_paragraphs(path: Path) -> list[tuple[str, str, str]]:
    out, heading = [], ""
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        if _HEADING.match(line):
            heading = line
            continue
        out.append((heading, line.replace(HIDDEN, ""), line))
    return out


def with_unit(auditor: Auditor, paragraphs: list[tuple[str, str, str]]) -> int:
    """How many numbers outside marks are followed by a catalog unit (checked or not)."""
    units = "|".join(re.escape(u) for u in auditor.units)
    pattern = re.compile(rf"\d[\d,.]*\s*(?:{units})")
    return sum(len(pattern.findall(masked)) for _, masked, _ in paragraphs)


def main() -> None:
    cat = default_catalog()
    data = load_year(ROOT / "inputs", 2024, cat).data
    with tempfile.TemporaryDirectory() as tmp:
        year = built_unmarked(Path(tmp))
        fixed = corrected(Path(tmp))
        for path in sorted(year.glob("*.docx")) + sorted((year / "学校").glob("*.docx")):
            report = ReportFile(path)
            for b in list(report.root.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd"))):
                b.getparent().remove(b)
            started = time.perf_counter()
            found = audit_report(report, data, cat)
            took = time.perf_counter() - started
            warned = [f for f in found if not f.agrees]
            units = with_unit(Auditor(cat, make_view(data, cat)), Plain.prose(report.root))
            print(
                f"{path.name}, marks removed: {len(found)} figures checked (of {units} "
                f"numbers with a unit), {len(warned)} warnings, {took * 1000:.0f} ms"
            )
            for f in warned:
                print("  " + f.line())
            # after a correction every warning should be a figure the correction changed
            after = [f for f in audit_report(report, fixed, cat) if not f.agrees]
            true = [f for f in after if f.text in {g.text for g in found if g.agrees}]
            print(
                f"  after 市一职 在校生 2955 → 3055: {len(after)} warnings, "
                f"{len(true)} true disagreements, {len(after) - len(true)} false"
            )
            for f in after:
                print("    " + f.line())
    published = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else next((ROOT.parent.parent / "shared" / "reference").glob("*.txt"), None)
    )
    if published is None or not published.is_file():
        return
    view = make_view(data, cat)
    auditor = Auditor(cat, view, lambda short: make_view(data, cat, short))
    started = time.perf_counter()
    paragraphs = text_paragraphs(published)
    found = auditor.audit(paragraphs)
    took = time.perf_counter() - started
    warned = [f for f in found if not f.agrees]
    prose = [p for p in paragraphs if "\t" not in p[2]]  # table rows come tab-separated
    print(
        f"{published.name}: {len(found)} figures checked (of {with_unit(auditor, prose)} "
        f"numbers with a unit in prose), {len(warned)} warnings, {took * 1000:.0f} ms"
    )
    for f in found:
        print(("  ✗ " + f.line()) if not f.agrees else f"  ✓ {f.where} › “{f.excerpt}”")


if __name__ == "__main__":
    main()

"""What a region's own indicator catalog (指标目录.xlsx) costs.

    .venv/bin/python bench/bench_region.py

In a temporary folder: the 2024 sample, then 2025 prepared by ``init`` twice, once with the
shipped catalog and once with a region catalog adding four indicators on a new sheet (the
README's example), each year's required cells filled with openpyxl. Prints the time to load
the region catalog (first read of its content, then again in the same process), and the
``docxreport check`` of 2025 with and without it, as commands (best of five).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from docxreport import layout as L
from docxreport import load
from docxreport import regional as R
from docxreport.catalog import default_catalog, shipped_data
from docxreport.load import region_catalog
from docxreport.workbook import read
from docxreport.workbook.regionwrite import write_region

ROOT = Path(__file__).resolve().parent.parent
DOCXREPORT = [sys.executable, "-m", "docxreport"]
ADDED = [
    ("school_area", "校舍建筑面积", "平方米", "金额", "设施设备", "必填", "合计", None, None, None),
    ("paper_books", "纸质图书总数", "册", "计数", "设施设备", "必填", "合计", None, None, None),
    ("area_per_student", "生均校舍建筑面积", "平方米", "比值", "设施设备", None, "比值",
     "school_area", "students", 2),
    ("books_per_student", "生均纸质图书", "册", "比值", "设施设备", None, "比值",
     "paper_books", "students", 1),
]  # fmt: skip


def region_file(path: Path) -> None:
    write_region(path, default_catalog(), 2025)
    wb = openpyxl.load_workbook(path)
    wb[R.SHEET_SHEET].append(["设施设备"])
    for key, name, unit, kind, sheet, required, rule, num, den, decimals in ADDED:
        row = dict(zip(R.INDICATOR_HEADERS, [key, name, unit, kind, sheet, required], strict=False))
        row.update({"全市规则": rule, "分子": num, "分母": den, "小数位": decimals})
        wb[R.INDICATOR_SHEET].append([row.get(h) for h in R.INDICATOR_HEADERS])
    wb.save(path)


def prepare(inputs: Path, with_region: bool) -> None:
    shutil.copytree(ROOT / "inputs" / "2024", inputs / "2024")
    if with_region:
        region_file(inputs / "2025" / R.REGION_FILE)
    subprocess.run(
        [*DOCXREPORT, "init", "2025", "--inputs", str(inputs)], check=True, capture_output=True
    )
    cat = region_catalog(inputs, 2025)
    cells = L.indicator_cells(cat)
    for path in sorted((inputs / "2025" / L.SCHOOL_DIR).glob("*.xlsx")):
        wb = openpyxl.load_workbook(path)
        for ind in cat.indicators:
            if ind.required in ("always", "graduates") or ind.key in ("school_area", "paper_books"):
                sheet, row = cells[ind.key]
                last = wb[sheet][f"D{row}"].value
                wb[sheet][f"E{row}"] = last if last is not None else 1
        majors = wb["专业设置"]
        for r in range(2, majors.max_row + 1):
            majors[f"G{r}"] = majors[f"G{r}"].value or "未调"
        wb.save(path)


def command(inputs: Path, times: int = 5) -> float:
    seconds = []
    for _ in range(times):
        start = time.perf_counter()
        args = [*DOCXREPORT, "check", "--year", "2025", "--inputs", str(inputs)]
        subprocess.run([*args, "--templates", str(ROOT / "templates")], capture_output=True)
        seconds.append(time.perf_counter() - start)
    return min(seconds)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        plain, region = Path(tmp) / "plain", Path(tmp) / "region"
        prepare(plain, with_region=False)
        prepare(region, with_region=True)
        province = "自治区"  # the sample's word, read from its city workbook
        shipped_data(province)  # parsed by every run, region catalog or not
        load._regions.clear()  # as in a new process: prepare() read it already
        read._recent.clear()
        start = time.perf_counter()
        region_catalog(region, 2025)
        first = time.perf_counter() - start
        start = time.perf_counter()
        region_catalog(region, 2025)
        again = time.perf_counter() - start
        rows = [
            ("region catalog, first read (parse, merge, check)", f"{first * 1000:.0f} ms"),
            ("region catalog, read again in the same run", f"{again * 1000:.1f} ms"),
            ("check 2025, shipped catalog", f"{command(plain):.2f} s"),
            ("check 2025, region catalog (+4 indicators)", f"{command(region):.2f} s"),
        ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value:>10}")


if __name__ == "__main__":
    main()

"""A first run for a new region (``docxreport new``): a blank city workbook and starter templates.

Nothing is overwritten: a file that exists is kept and reported as kept. The school
workbooks come next, from the filled registry, by ``docxreport init`` (as every year).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from docxreport import layout as L
from docxreport.catalog import Catalog
from docxreport.model import CityData
from docxreport.regional import REGION_FILE

STARTER = (L.CITY_TEMPLATE, L.SCHOOL_TEMPLATE)


@dataclass(frozen=True)
class Written:
    """One file of the new region; ``written`` False means it existed and was kept,
    or (with ``skipped``) that it is not written, for the reason given."""

    path: Path
    written: bool
    skipped: str = ""


def starter_template(name: str) -> bytes:
    """A region-neutral starter template shipped with docxreport (city.docx, school.docx)."""
    return resources.files("docxreport").joinpath("starter", name).read_bytes()


def start_region(inputs: Path, templates: Path, year: int, cat: Catalog) -> list[Written]:
    """Write ``inputs/<year>/市级.xlsx`` (blank: 基本信息, 编制组, 学校名册 to fill), the region's
    catalog ``inputs/<year>/指标目录.xlsx`` (no additions yet) and the starter templates into
    ``templates``; keep whatever is there already."""
    from docxreport.workbook.write import write_city  # openpyxl: loaded only to write

    out = []
    city = inputs / str(year) / L.CITY_FILE
    earlier = carried_from(inputs, year)
    if city.exists():
        out.append(Written(city, False))
    elif earlier is not None:  # a region already at work: init carries its city workbook
        out.append(Written(city, False, f"已有 {earlier} 年的数据，由 docxreport init {year} 结转"))
    else:
        city.parent.mkdir(parents=True, exist_ok=True)
        write_city(city, cat, CityData(file=L.CITY_FILE, year=year), year)
        out.append(Written(city, True))
    out.append(_region_catalog(inputs / str(year) / REGION_FILE, cat, year))
    templates.mkdir(parents=True, exist_ok=True)
    for name in STARTER:
        path = templates / name
        if path.exists():
            out.append(Written(path, False))
            continue
        tmp = path.with_name(f".{name}.tmp")
        tmp.write_bytes(starter_template(name))
        shutil.move(tmp, path)
        out.append(Written(path, True))
    return out


def _region_catalog(path: Path, cat: Catalog, year: int) -> Written:
    """The region's catalog file, blank with instructions: where the tool looks for it."""
    from docxreport.workbook.regionwrite import write_region  # openpyxl: loaded only to write

    if path.exists():
        return Written(path, False)
    write_region(path, cat, year)
    return Written(path, True)


def carried_from(inputs: Path, year: int) -> int | None:
    """The latest earlier year with a city workbook: the region is not new, init carries it."""
    from docxreport.load import year_folders

    earlier = [
        y for y in year_folders(inputs) if y < year and (inputs / str(y) / L.CITY_FILE).is_file()
    ]
    return earlier[-1] if earlier else None

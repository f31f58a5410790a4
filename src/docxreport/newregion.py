"""A first run for a new region (``docxreport new``): a blank city workbook and starter templates.

Nothing is overwritten: a file that exists is kept and reported as kept. The school
workbooks come next, from the filled registry, by ``docxreport init`` (as every year).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from docxreport import layout as L
from docxreport.atomic import write_bytes_atomically
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
    from docxreport.checks.templatesections import template_sections  # reads .docx
    from docxreport.render.tidy import Stamp, retidy
    from docxreport.workbook.write import write_city  # openpyxl: loaded only to write

    starters = []
    for name in STARTER:  # first: the city workbook offers the chapters they have room for
        path = templates / name
        starter = retidy(starter_template(name), Stamp.after(None))  # a new file
        written = write_bytes_atomically(starter, path, templates, exclusive=True)
        starters.append(Written(path, written))
    folder = inputs / str(year)
    city = folder / L.CITY_FILE
    earlier = carried_from(inputs, year)
    if earlier is not None and not city.exists():  # a region at work: init carries its city
        out = [Written(city, False, f"已有 {earlier} 年的数据，由 docxreport init {year} 结转")]
    else:
        blank = CityData(file=L.CITY_FILE, year=year)
        sections = template_sections([templates / L.CITY_TEMPLATE])
        written = not city.exists() and write_city(
            city, cat, blank, year, within=folder, exclusive=True, sections=sections
        )
        out = [Written(city, written)]
    out.append(_region_catalog(folder / REGION_FILE, cat, year))
    return out + starters


def _region_catalog(path: Path, cat: Catalog, year: int) -> Written:
    """The region's catalog file, blank with instructions: where the tool looks for it."""
    from docxreport.workbook.regionwrite import write_region  # openpyxl: loaded only to write

    return Written(path, not path.exists() and write_region(path, cat, year))


def carried_from(inputs: Path, year: int) -> int | None:
    """The latest earlier year with a city workbook: the region is not new, init carries it."""
    from docxreport.load import year_folders

    earlier = [
        y for y in year_folders(inputs) if y < year and (inputs / str(y) / L.CITY_FILE).is_file()
    ]
    return earlier[-1] if earlier else None

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

STARTER = (L.CITY_TEMPLATE, L.SCHOOL_TEMPLATE)


@dataclass(frozen=True)
class Written:
    """One file of the new region; ``written`` False means it existed and was kept."""

    path: Path
    written: bool


def starter_template(name: str) -> bytes:
    """A region-neutral starter template shipped with docxreport (city.docx, school.docx)."""
    return resources.files("docxreport").joinpath("starter", name).read_bytes()


def start_region(inputs: Path, templates: Path, year: int, cat: Catalog) -> list[Written]:
    """Write ``inputs/<year>/市级.xlsx`` (blank: 基本信息, 编制组, 学校名册 to fill) and the
    starter templates into ``templates``; keep whatever is there already."""
    from docxreport.workbook.write import write_city  # openpyxl: loaded only to write

    folder = inputs / str(year)
    city = folder / L.CITY_FILE
    blank = CityData(file=L.CITY_FILE, year=year)
    written = not city.exists() and write_city(
        city, cat, blank, year, within=folder, exclusive=True
    )
    out = [Written(city, written)]
    for name in STARTER:
        path = templates / name
        written = write_bytes_atomically(starter_template(name), path, templates, exclusive=True)
        out.append(Written(path, written))
    return out

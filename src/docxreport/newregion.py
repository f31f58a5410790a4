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
    from docxreport.checks.templatesections import template_sections  # reads .docx
    from docxreport.workbook.write import write_city  # openpyxl: loaded only to write

    out = []
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
    city = inputs / str(year) / L.CITY_FILE
    if city.exists():
        out.insert(0, Written(city, False))
    else:
        city.parent.mkdir(parents=True, exist_ok=True)
        sections = template_sections([templates / L.CITY_TEMPLATE])
        write_city(city, cat, CityData(file=L.CITY_FILE, year=year), year, sections=sections)
        out.insert(0, Written(city, True))
    return out

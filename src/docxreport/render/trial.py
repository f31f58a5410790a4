"""A trial fill of a template on a dataset with no figures: what its sentences print in a
first year with every optional figure left blank (see :mod:`docxreport.checks.sentences`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docxreport.catalog import Catalog
from docxreport.layout import SCHOOL_TEMPLATE
from docxreport.model import CityData, Dataset, School
from docxreport.render.context import Context
from docxreport.render.document import fill_template, load_template
from docxreport.render.marks import Marks
from docxreport.view.report import make_view

TRIAL_YEAR = 2000  # never printed: the trial's text is only read for its sentences


def fill_empty(path: Path, cat: Catalog, kind: str) -> tuple[Any, list[Any], dict[str, Any]]:
    """The template at ``path`` filled in memory (tables, photos and cases left empty) on a
    dataset without figures: (the document, the marks' items, the view's changes).

    ``kind`` is the template it stands for (city.docx or school.docx).
    """
    school = School("学校", "学校")
    data = Dataset(year=TRIAL_YEAR, city=CityData(file="", registry=[school]), schools=[])
    view = make_view(data, cat, school.short if kind == SCHOOL_TEMPLATE else None)
    tpl = load_template(path)
    context = Context(view, tpl, Marks(), trace=True)
    fill_template(tpl, path, context.names())
    return tpl.docx, context.marks.items, view.changes

"""The Excel side: the only package that imports openpyxl.

Reading needs no openpyxl (see :mod:`.cells`); writing loads it when first asked for.
"""

from typing import Any

from docxreport.workbook.read import parse_date, read_city, read_province, read_school

__all__ = ["parse_date", "read_city", "read_province", "read_school", "write_city", "write_school"]


def __getattr__(name: str) -> Any:
    if name in ("write_city", "write_school"):
        from docxreport.workbook import write

        return getattr(write, name)
    raise AttributeError(name)

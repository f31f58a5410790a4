"""The Excel side: the only package that imports openpyxl."""

from docxreport.workbook.read import parse_date, read_city, read_school
from docxreport.workbook.write import write_city, write_school

__all__ = ["parse_date", "read_city", "read_school", "write_city", "write_school"]

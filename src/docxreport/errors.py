"""Every exception docxreport raises.

An exception stops a run; problems found in the data are not exceptions but
:class:`docxreport.issues.Issue` records collected into a report. Messages are
written in Chinese for the compiling group and name the file involved.
"""

from __future__ import annotations


class DocxreportError(Exception):
    """Base class: a problem that stops the command with a clean message."""


class CatalogError(DocxreportError):
    """The indicator catalog is malformed (a programming or configuration error)."""


class InputError(DocxreportError):
    """The inputs folder or a year folder is missing or unusable."""


class TemplateError(DocxreportError):
    """A Word template cannot be read or rendered."""


class OutputError(DocxreportError):
    """An output file cannot be written."""

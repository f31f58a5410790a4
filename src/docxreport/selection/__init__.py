"""The city report's cases and photos (遴选) and its length before building.

- :mod:`.choose`: submissions, the sheet's rows paired with them, what the city report prints;
- :mod:`.limits`: what check says about a selection;
- :mod:`.sync`: :func:`sync_selection`, writing the sheet into the city workbook;
- :mod:`.estimate`: the city report's pages, estimated from what it prints.
"""

from docxreport.selection.choose import (
    CASE,
    PHOTO,
    Line,
    Selection,
    Submission,
    select,
    submissions,
)

__all__ = ["CASE", "PHOTO", "Line", "Selection", "Submission", "select", "submissions"]

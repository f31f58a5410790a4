"""Receiving the workbooks and photos schools send back (``docxreport collect``).

:func:`collect` files a batch and returns plain records (:class:`Collected`, with a
:class:`Received` per file and a :class:`SchoolOutcome` per school); nothing here
prints, so that the command line and a web page show the same outcome.
"""

from docxreport.collect.core import collect
from docxreport.collect.results import Collected, Received, SchoolOutcome

__all__ = ["Collected", "Received", "SchoolOutcome", "collect"]

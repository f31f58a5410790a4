"""Receiving the workbooks and photos schools send back (``docxreport collect``).

:func:`collect` files a batch and returns plain records (:class:`Collected`, with a
:class:`Received` per file and a :class:`SchoolOutcome` per school); :func:`follow_up`
checks the year as ``check`` does and renews the receipt and reminder list. Nothing
here prints, so that the command line and a web page show the same outcome.
"""

from docxreport.collect.core import collect
from docxreport.collect.followup import FollowUp, follow_up
from docxreport.collect.results import Collected, Received, SchoolOutcome

__all__ = ["Collected", "FollowUp", "Received", "SchoolOutcome", "collect", "follow_up"]

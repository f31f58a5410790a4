"""The workbench in the browser (``docxreport ui``): a second door to the same functions."""

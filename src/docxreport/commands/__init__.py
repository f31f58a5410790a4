"""One module per command; :mod:`docxreport.cli` only registers them."""

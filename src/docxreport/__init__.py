"""docxreport: the annual vocational-education quality report, as editable Word documents."""

__version__ = "0.1.0"

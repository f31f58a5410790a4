"""After rendering: contents page numbers and PDFs (LibreOffice), and the manifest that
keeps staff's edits from being overwritten."""

"""The page every report is laid out on: A4 with the GB/T 9704 text block.

Plain numbers, shared by the renderer (table and photo widths) and by check
(whether a photo is sharp enough at the size it will be printed).
"""

TEXT_WIDTH_MM = 156.0  # portrait text block
LANDSCAPE_WIDTH_MM = 225.0  # the text block turned sideways
MAX_PHOTO_HEIGHT_MM = 100.0  # a tall photo is limited to this height

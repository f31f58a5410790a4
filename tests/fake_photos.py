"""Phone-like test photos made with Pillow: large, textured, with the EXIF a phone writes.

Used by the photo tests and by ``bench/bench_photos.py``. Nothing here is random from run
to run: the same arguments give the same bytes.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from PIL import Image, ImageDraw

MAKE, MODEL = "TestPhone", "TP-12 Pro"
GPS_LAT = (40.0, 44.0, 30.12)  # degrees, minutes, seconds


@functools.lru_cache(maxsize=8)
def _scene(width: int, height: int, seed: int) -> Image.Image:
    """A photo-like picture: a sky-to-ground gradient, shapes, and sensor-like grain."""
    top = (90 + seed * 7 % 60, 140, 210)
    bottom = (120, 110 + seed * 13 % 60, 70)
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.composite(
        Image.new("RGB", (width, height), bottom), Image.new("RGB", (width, height), top), gradient
    )
    draw = ImageDraw.Draw(image)
    step = max(1, width // 12)
    for i in range(12):
        x = (i * step + seed * 37) % width
        y = height // 2 + (i * 97 + seed * 53) % (height // 3)
        colour = ((i * 40 + seed * 11) % 256, (i * 70) % 256, (i * 25 + 90) % 256)
        draw.rectangle([x, y, x + step // 2, y + height // 5], fill=colour)
        draw.ellipse([x, y - step // 3, x + step // 2, y], fill=(240, 230, 220))
    # Texture at two scales, like foliage and sensor grain: it keeps the photo about as
    # hard to compress as a real one, at full size and after scaling down.
    texture = Image.effect_noise((width // 3, height // 3), 40).resize((width, height))
    grain = Image.effect_noise((width, height), 30)
    detail = Image.merge("RGB", (texture, grain, texture))
    return Image.blend(image, detail, 0.22)


def phone_exif(orientation: int = 1, gps: bool = True) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = MAKE  # Make
    exif[0x0110] = MODEL  # Model
    exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: GPS_LAT, 3: "E", 4: (107.0, 23.0, 15.0)}
    return exif


def write_phone_jpeg(
    path: Path,
    width: int = 4000,
    height: int = 3000,
    *,
    orientation: int = 1,
    gps: bool = True,
    seed: int = 0,
    quality: int = 92,
) -> Path:
    """A JPEG as a phone stores it: ``width`` × ``height`` pixels as the sensor read them
    (a portrait shot is stored landscape with ``orientation`` 6), with EXIF and GPS.

    Scenes repeat every four seeds; a mark in a corner makes each seed's file distinct.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    image = _scene(width, height, seed % 4).copy()
    mark = (seed * 71 % 256, seed * 29 % 256, seed * 113 % 256)
    ImageDraw.Draw(image).rectangle([0, 0, width // 20, height // 20], fill=mark)
    image.save(path, "JPEG", quality=quality, exif=phone_exif(orientation, gps))
    return path


def write_image(
    path: Path, width: int, height: int, fmt: str, *, seed: int = 0, mode: str = "RGB"
) -> Path:
    """A picture in another format (PNG, BMP, GIF, WEBP, HEIF, TIFF) and mode (CMYK, P, RGBA)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = _scene(width, height, seed)
    image = image.convert("P") if mode == "P" else image.convert(mode)
    kwargs = {"exif": phone_exif()} if fmt in ("WEBP", "HEIF", "PNG") else {}
    image.save(path, fmt, **kwargs)
    return path


def jpeg_bytes_with_exif(data: bytes) -> bool:
    """Whether encoded image bytes still carry an EXIF block."""
    return bool(Image.open(io.BytesIO(data)).getexif()) or b"Exif\0\0" in data


def attach_photos(year_folder: Path, write=None) -> list[Path]:
    """Give every row of every 图片 sheet under ``year_folder`` a photo file of its own.

    ``write(path, index)`` makes the file (default: a 4000 × 3000 phone JPEG; every third
    one a portrait shot stored landscape with Orientation 6). Returns the files written.
    """
    import openpyxl

    write = write or (
        lambda path, i: write_phone_jpeg(path, orientation=6 if i % 3 == 2 else 1, seed=i)
    )
    workbooks = [year_folder / "市级.xlsx", *sorted((year_folder / "学校").glob("*.xlsx"))]
    written, index = [], 0
    for book in workbooks:
        wb = openpyxl.load_workbook(book)
        ws = wb["图片"]
        for row in range(2, ws.max_row + 1):
            if not ws.cell(row, 3).value:  # no caption: an empty row
                continue
            name = f"{book.stem}-{row - 1}.jpg"
            written.append(write(year_folder / "图片" / name, index))
            ws.cell(row, 4).value = name
            index += 1
        wb.save(book)
    return written

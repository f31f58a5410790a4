"""Photos for print: read what staff have, place it, and prepare a small, clean copy.

Phone photos arrive as 12-megapixel JPEGs or HEIC files, rotated by an EXIF tag and
carrying the camera's metadata (GPS included). Before a photo goes into a report it is

- turned upright (EXIF orientation applied),
- converted to RGB (CMYK, palette and alpha images included),
- scaled down to at most :data:`MAX_PPI` at the size it is placed, never up,
- re-encoded (JPEG, or PNG for screenshots and line art when that is smaller),
- stripped of every metadata block.

Prepared files are cached by content hash and size, so that a rebuild redoes nothing.
Pillow is the only image library used; pillow-heif adds HEIC/HEIF when installed.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from docxreport.atomic import write_bytes_atomically
from docxreport.errors import OutputError

try:  # HEIC/HEIF (iPhone photos)
    from pillow_heif import register_heif_opener
except ImportError:  # pragma: no cover - the dependency is declared; this guards odd installs
    HEIF_READER = False
else:
    register_heif_opener()
    HEIF_READER = True

MAX_PPI = 300  # scale down to at most this at the placed size
MIN_PPI = 150  # below this a photo looks soft in print: check warns
JPEG_QUALITY = 85
JPEG_QUALITY_UNSCALED = 90  # a photo kept at its size loses less to a second encoding
MM_PER_INCH = 25.4
MAX_PIXELS = 250_000_000  # a 200-megapixel phone photo still passes; beyond is refused
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own guard then stops at twice this
CACHE_VERSION = "1"  # bump when the preparation changes, so old cache entries are not reused

# What staff actually have; anything else is refused with a located error.
ACCEPTED = {
    "JPEG": "JPG",
    "MPO": "JPG",  # some phones write JPEGs with a second (depth) frame
    "PNG": "PNG",
    "BMP": "BMP",
    "GIF": "GIF",
    "WEBP": "WebP",
    "HEIF": "HEIC",
    "TIFF": "TIFF",
}
ACCEPTED_TEXT = "JPG、PNG、BMP、GIF、WebP、HEIC/HEIF 或 TIFF"
_LOSSLESS = {"PNG", "BMP", "GIF", "TIFF"}  # screenshots and line art come as these


class PhotoError(Exception):
    """A photo file that cannot be used; the message is in Chinese and names no location."""


@dataclass(frozen=True)
class PhotoInfo:
    """What a photo is, read from its header: upright pixel size and format."""

    width: int  # pixels, after the EXIF orientation is applied
    height: int
    format: str  # Pillow's name, e.g. JPEG, HEIF

    @property
    def portrait(self) -> bool:
        return self.height > self.width

    def ppi(self, width_mm: float) -> float:
        """Pixels per inch when printed ``width_mm`` wide."""
        return self.width / (width_mm / MM_PER_INCH)


@dataclass(frozen=True)
class Prepared:
    """A photo ready to embed: the encoded bytes and the size it is placed at."""

    data: bytes
    width_mm: float
    height_mm: float
    ext: str  # "jpg" or "png"


def _open(path: Path) -> Image.Image:
    """Open ``path`` with Pillow; :class:`PhotoError` with a reason when it can't."""
    too_large = PhotoError(f"像素过多（超过 {MAX_PIXELS // 100_000_000} 亿像素），请缩小后再放入")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
    except Image.DecompressionBombError:
        raise too_large from None
    except UnidentifiedImageError:
        hint = "；HEIC 照片需要安装 pillow-heif" if not HEIF_READER else ""
        raise PhotoError(f"不是图片（应为 {ACCEPTED_TEXT}{hint}）") from None
    except OSError:
        raise PhotoError("无法读取（文件损坏或被其他程序占用）") from None
    if image.width * image.height > MAX_PIXELS:
        image.close()
        raise too_large
    if image.format not in ACCEPTED:
        image.close()
        raise PhotoError(f"是 {image.format} 格式，不能用于报告（应为 {ACCEPTED_TEXT}）")
    return image


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(0x0112, 1))  # EXIF Orientation
    except Exception:  # a broken EXIF block must not lose the photo
        return 1


def inspect(path: Path) -> PhotoInfo:
    """The upright size and format of the photo at ``path`` (reads the header only)."""
    image = _open(path)
    with image:
        width, height = image.size
        if _orientation(image) in (5, 6, 7, 8):  # rotated by 90° or 270°
            width, height = height, width
        if width <= 0 or height <= 0:
            raise PhotoError("的尺寸为零")
        return PhotoInfo(width, height, image.format or "")


def verify(path: Path) -> PhotoInfo:
    """Like :func:`inspect`, and decode the pixels too, so a truncated file is found now.

    A JPEG is decoded at 1/8 scale, which its format allows at little cost.
    """
    info = inspect(path)
    image = _open(path)
    with image:
        try:
            if image.format in ("JPEG", "MPO"):
                image.draft("RGB", (1, 1))
            image.load()
        except Exception:  # Pillow raises several types for damaged data
            raise PhotoError("的数据不完整或已损坏，无法解码") from None
    return info


def placed_size(info: PhotoInfo, max_width_mm: float, max_height_mm: float) -> tuple[float, float]:
    """Width and height in mm: as large as fits the box, keeping the aspect ratio."""
    scale = min(max_width_mm / info.width, max_height_mm / info.height)
    return info.width * scale, info.height * scale


def target_pixels(info: PhotoInfo, width_mm: float) -> tuple[int, int]:
    """The pixel size for ``width_mm`` at :data:`MAX_PPI` at most; never larger than the photo."""
    wanted = round(width_mm / MM_PER_INCH * MAX_PPI)
    if wanted >= info.width:
        return info.width, info.height
    return wanted, max(1, round(info.height * wanted / info.width))


def _to_rgb(image: Image.Image) -> Image.Image:
    """RGB on a white background (transparent areas print white, as on the page)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        canvas = Image.new("RGB", rgba.size, "white")
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        return canvas
    return image.convert("RGB")  # CMYK, palette, grey, 16-bit: all to 8-bit RGB


def _encode(image: Image.Image, source_format: str, scaled: bool) -> tuple[bytes, str]:
    """Encode without metadata: JPEG, or PNG for lossless sources when that is smaller."""
    jpeg = io.BytesIO()
    quality = JPEG_QUALITY if scaled else JPEG_QUALITY_UNSCALED
    image.save(jpeg, "JPEG", quality=quality, optimize=True)
    if source_format not in _LOSSLESS:
        return jpeg.getvalue(), "jpg"
    png = io.BytesIO()
    image.save(png, "PNG", optimize=True)
    if png.tell() <= jpeg.tell():
        return png.getvalue(), "png"
    return jpeg.getvalue(), "jpg"


def _prepare_image(path: Path, pixels: tuple[int, int]) -> tuple[bytes, str]:
    image = _open(path)
    with image:
        source_format = image.format or ""
        if source_format in ("JPEG", "MPO"):
            # Let the JPEG decoder scale by 1/2, 1/4 or 1/8 first: fast and light on memory.
            oriented_swap = _orientation(image) in (5, 6, 7, 8)
            draft = (pixels[1], pixels[0]) if oriented_swap else pixels
            image.draft("RGB", draft)
        upright = ImageOps.exif_transpose(image)
        rgb = _to_rgb(upright)
        scaled = rgb.size != pixels
        if scaled:
            rgb = rgb.resize(pixels, Image.Resampling.LANCZOS, reducing_gap=3.0)
        return _encode(rgb, source_format, scaled or _orientation(image) != 1)


class PhotoShop:
    """Prepares photos for print, caching the results under ``cache`` (when given).

    The cache key is the file's content hash, the pixel size and :data:`CACHE_VERSION`,
    so a renamed or moved photo is found again and an edited one is redone.
    """

    def __init__(self, cache: Path | None = None) -> None:
        self.cache = cache

    def prepare(self, path: Path, max_width_mm: float, max_height_mm: float) -> Prepared:
        """The photo at ``path`` ready to place within ``max_width_mm`` × ``max_height_mm``."""
        info = inspect(path)
        width_mm, height_mm = placed_size(info, max_width_mm, max_height_mm)
        pixels = target_pixels(info, width_mm)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        stem = f"{digest[:32]}-{pixels[0]}x{pixels[1]}-v{CACHE_VERSION}"
        for ext in ("jpg", "png"):
            cached = self.cache / f"{stem}.{ext}" if self.cache else None
            if cached is not None and cached.is_file():
                return Prepared(cached.read_bytes(), width_mm, height_mm, ext)
        try:
            data, ext = _prepare_image(path, pixels)
        except PhotoError:
            raise
        except Exception:  # a truncated or corrupt file fails only when decoded
            raise PhotoError("的数据不完整或已损坏，无法解码") from None
        if self.cache is not None:  # a cache that can't be written is only slower
            with suppress(OSError, OutputError):
                write_bytes_atomically(data, self.cache / f"{stem}.{ext}", self.cache)
        return Prepared(data, width_mm, height_mm, ext)

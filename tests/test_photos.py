"""Photos for print: upright, scaled to the placed size, re-encoded without metadata, cached,
shown whole on the rendered page, and checked for sharpness.

The test photos are made here with Pillow (``fake_photos``): phone-sized JPEGs with EXIF and
GPS, a portrait shot stored landscape with Orientation 6, a PNG screenshot, CMYK and palette
images, and a HEIC file when pillow-heif can write one.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.shape import WD_INLINE_SHAPE
from docx.oxml.ns import qn
from PIL import Image, ImageDraw

from docxreport import photos
from docxreport.cli import main
from docxreport.finish.pdf import find_soffice
from docxreport.photos import PhotoError, PhotoShop
from docxreport.render import Photo, load_template, make_figures, render_report
from fake_photos import MAKE, attach_photos, write_image, write_phone_jpeg

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "inputs"
TEMPLATES = ROOT / "templates"
needs_soffice = pytest.mark.skipif(
    find_soffice() is None or shutil.which("pdftoppm") is None,
    reason="LibreOffice and poppler-utils are needed to render the page",
)


def has_metadata(data: bytes) -> bool:
    """Whether encoded image bytes carry EXIF, GPS or the camera's name."""
    image = Image.open(io.BytesIO(data))
    return bool(image.getexif()) or b"Exif\0\0" in data or MAKE.encode() in data


# -- preparing one photo ------------------------------------------------------------------------


def test_portrait_shot_stored_landscape_is_turned_upright(tmp_path: Path) -> None:
    path = write_phone_jpeg(tmp_path / "p.jpg", orientation=6, seed=1)
    info = photos.inspect(path)
    assert (info.width, info.height) == (3000, 4000) and info.portrait
    prepared = PhotoShop().prepare(path, 156, 100)
    assert (prepared.width_mm, prepared.height_mm) == pytest.approx((75, 100))
    assert Image.open(io.BytesIO(prepared.data)).size == (886, 1181)  # 300 ppi at 75 × 100 mm


def test_phone_photo_is_scaled_to_300_ppi_and_stripped_of_exif_and_gps(tmp_path: Path) -> None:
    path = write_phone_jpeg(tmp_path / "p.jpg", seed=2)
    assert has_metadata(path.read_bytes())
    prepared = PhotoShop().prepare(path, 156, 100)
    image = Image.open(io.BytesIO(prepared.data))
    assert image.format == "JPEG" and image.mode == "RGB"
    assert image.width == round(prepared.width_mm / 25.4 * 300)
    assert not has_metadata(prepared.data)
    assert len(prepared.data) < path.stat().st_size / 5


def test_small_photo_is_never_scaled_up(tmp_path: Path) -> None:
    path = write_phone_jpeg(tmp_path / "small.jpg", 640, 480, seed=3)
    prepared = PhotoShop().prepare(path, 156, 100)
    assert Image.open(io.BytesIO(prepared.data)).size == (640, 480)
    assert prepared.width_mm == pytest.approx(133.3, abs=0.1)


def test_screenshot_stays_png_when_that_is_smaller(tmp_path: Path) -> None:
    shot = Image.new("RGB", (1200, 800), "white")
    draw = ImageDraw.Draw(shot)
    for y in range(0, 800, 40):
        draw.rectangle([40, y + 10, 1100, y + 25], fill=(30, 60, 160))
    path = tmp_path / "screen.png"
    shot.save(path)
    prepared = PhotoShop().prepare(path, 156, 100)
    assert prepared.ext == "png"
    assert Image.open(io.BytesIO(prepared.data)).format == "PNG"


@pytest.mark.parametrize("mode", ["CMYK", "P", "RGBA", "L"])
def test_cmyk_palette_alpha_and_grey_images_become_rgb(tmp_path: Path, mode: str) -> None:
    fmt = "JPEG" if mode in ("CMYK", "L") else "PNG"
    path = write_image(tmp_path / f"x.{fmt.lower()}", 800, 600, fmt, mode=mode)
    prepared = PhotoShop().prepare(path, 156, 100)
    assert Image.open(io.BytesIO(prepared.data)).mode == "RGB"
    assert not has_metadata(prepared.data)


@pytest.mark.parametrize("fmt", ["WEBP", "BMP", "GIF", "TIFF"])
def test_other_formats_staff_have_are_accepted(tmp_path: Path, fmt: str) -> None:
    path = write_image(tmp_path / f"x.{fmt.lower()}", 900, 600, fmt)
    prepared = PhotoShop().prepare(path, 156, 100)
    assert prepared.width_mm == pytest.approx(150, abs=0.1)
    assert not has_metadata(prepared.data)


@pytest.mark.skipif(not photos.HEIF_READER, reason="pillow-heif is not installed")
def test_iphone_heic_is_read_upright_and_written_as_jpeg(tmp_path: Path) -> None:
    path = write_image(tmp_path / "IMG_0001.HEIC", 1600, 1200, "HEIF")
    assert photos.inspect(path).format == "HEIF"
    prepared = PhotoShop().prepare(path, 156, 100)
    assert prepared.ext == "jpg" and not has_metadata(prepared.data)


def test_unreadable_and_unsupported_files_are_refused(tmp_path: Path) -> None:
    text = tmp_path / "a.jpg"
    text.write_text("not a picture")
    with pytest.raises(PhotoError, match="不是图片"):
        photos.inspect(text)
    good = write_phone_jpeg(tmp_path / "b.jpg", 800, 600)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(good.read_bytes()[:4000])
    photos.inspect(cut)  # the header alone is fine ...
    with pytest.raises(PhotoError, match="不完整"):
        photos.verify(cut)  # ... the pixels are not


def test_prepared_photos_are_cached_by_content(tmp_path: Path, monkeypatch) -> None:
    path = write_phone_jpeg(tmp_path / "p.jpg", 1600, 1200, seed=4)
    shop = PhotoShop(tmp_path / "cache")
    first = shop.prepare(path, 156, 100)
    assert len(list((tmp_path / "cache").iterdir())) == 1

    calls = []
    original = photos._prepare_image
    monkeypatch.setattr(photos, "_prepare_image", lambda *a: calls.append(a) or original(*a))
    moved = tmp_path / "renamed.jpg"
    path.rename(moved)
    assert shop.prepare(moved, 156, 100).data == first.data  # a renamed file is found again
    assert calls == []
    write_phone_jpeg(moved, 1600, 1200, seed=5)  # an edited file is redone
    assert shop.prepare(moved, 156, 100).data != first.data
    assert len(calls) == 1


# -- placing photos in a document -----------------------------------------------------------------


def _figures_doc(tmp_path: Path, photo_list: list[Photo]) -> Path:
    from test_render_document import make_template

    tpl_path = make_template(tmp_path / "t.docx", ("{{p figs }}", None))
    tpl = load_template(tpl_path)
    out = tmp_path / "r.docx"
    render_report(tpl_path, {"figs": make_figures(tpl, photo_list)}, out, tpl=tpl)
    return out


def test_picture_paragraph_has_auto_line_spacing_and_no_indent(tmp_path: Path) -> None:
    path = write_phone_jpeg(tmp_path / "p.jpg", 1600, 1200)
    doc = Document(str(_figures_doc(tmp_path, [Photo("操场", path)])))
    paragraph = next(p for p in doc.paragraphs if p._p.xpath(".//pic:pic"))
    spacing = paragraph._p.pPr.find(qn("w:spacing"))
    assert spacing.get(qn("w:lineRule")) == "auto" and spacing.get(qn("w:line")) == "240"
    assert paragraph.paragraph_format.first_line_indent in (None, 0)
    assert paragraph.paragraph_format.keep_with_next


def test_two_portrait_photos_in_a_row_stand_side_by_side(tmp_path: Path) -> None:
    a = write_phone_jpeg(tmp_path / "a.jpg", 1600, 1200, orientation=6, seed=1)
    b = write_phone_jpeg(tmp_path / "b.jpg", 1600, 1200, orientation=6, seed=2)
    c = write_phone_jpeg(tmp_path / "c.jpg", 1600, 1200, seed=3)
    doc = Document(str(_figures_doc(tmp_path, [Photo("甲", a), Photo("乙", b), Photo("丙", c)])))
    [pair] = doc.tables
    cells = pair.rows[0].cells
    assert [[p.text for p in cell.paragraphs if p.text] for cell in cells] == [
        ["图 0-1 甲"],
        ["图 0-2 乙"],
    ]
    shapes = list(doc.inline_shapes)
    assert len(shapes) == 3
    for shape in shapes[:2]:
        assert shape.height > shape.width
        assert shape.width.mm < 78
    assert shapes[2].width.mm == pytest.approx(133.3, abs=0.1)


# -- the whole report with 53 phone photos --------------------------------------------------------


@pytest.fixture(scope="module")
def phone_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with a 4000 × 3000 phone photo for each of its 53 photo rows, built."""
    root = tmp_path_factory.mktemp("phones")
    shutil.copytree(INPUTS, root / "inputs")
    assert len(attach_photos(root / "inputs" / "2024")) == 53
    args = ["--inputs", str(root / "inputs"), "--templates", str(TEMPLATES)]
    result = CliRunner().invoke(
        main, ["build", *args, "--out", str(root / "out"), "--no-page-numbers"]
    )
    assert result.exit_code == 0, result.output
    return root / "out" / "2024"


def test_city_report_with_53_phone_photos_stays_small_enough_to_mail(phone_build: Path) -> None:
    [city] = phone_build.glob("*.docx")
    assert city.stat().st_size < 25 * 1024 * 1024
    shapes = Document(str(city)).inline_shapes
    assert sum(s.type == WD_INLINE_SHAPE.PICTURE for s in shapes) == 53  # and the charts


def test_no_photo_metadata_reaches_any_report(phone_build: Path) -> None:
    reports = [*phone_build.glob("*.docx"), *phone_build.glob("学校/*.docx")]
    media = 0
    for report in reports:
        with zipfile.ZipFile(report) as package:
            for name in package.namelist():
                if name.startswith("word/media/"):
                    media += 1
                    assert not has_metadata(package.read(name)), (report.name, name)
    assert media >= 53


def _photo_rows(png: Path) -> list[int]:
    """Rows of the page image where coloured (photo) pixels fill most of a line."""
    image = Image.open(png).convert("RGB")
    width, height = image.size
    pixels = image.load()
    rows = []
    for y in range(height):
        coloured = 0
        for x in range(0, width, 2):
            r, g, b = pixels[x, y]
            if max(r, g, b) - min(r, g, b) > 25:
                coloured += 1
        if coloured > width / 2 * 0.3:
            rows.append(y)
    return rows


@needs_soffice
def test_rendered_page_shows_the_whole_photo_not_a_strip(phone_build: Path, tmp_path: Path) -> None:
    report = next(phone_build.glob("学校/巴彦淖尔市体育学校*.docx"))
    shapes = Document(str(report)).inline_shapes
    shape = next(s for s in shapes if s.type == WD_INLINE_SHAPE.PICTURE)  # after a chart
    subprocess.run(
        [
            find_soffice(),
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(report),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    [pdf] = tmp_path.glob("*.pdf")
    page = _page_with(pdf, "图 1-2 市体育学校运动员获得金牌")
    dpi = 40
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            str(pdf),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    [png] = tmp_path.glob("page*.png")
    rows = _photo_rows(png)
    expected = shape.height.mm / 25.4 * dpi
    assert rows, "no photo drawn on the page"
    assert rows[-1] - rows[0] + 1 == pytest.approx(expected, abs=3)


def _page_with(pdf: Path, text: str) -> int:
    """The last page whose text holds ``text`` (the first ones are the contents lists)."""
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    found = [i for i, page in enumerate(pages.split("\f"), 1) if text in page]
    assert found, text
    return found[-1]

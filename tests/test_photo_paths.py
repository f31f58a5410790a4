"""Photos are read only from the year's 图片 folder: a 文件 cell that leads elsewhere (``..``,
an absolute path, a link pointing out) is refused at its cell with one message, which never
says whether a file outside exists."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from conftest import JIA, Scenario, dataset
from docxreport import layout as L
from docxreport.model import Location, Value
from docxreport.view.report import make_view

CELL = f"{L.SCHOOL_DIR}/{JIA.short}.xlsx › 图片!D2"


def image(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1600, 1200), "teal").save(path, "JPEG")
    return path


def name_photo(scenario: Scenario, name: str) -> None:
    with scenario.edit(JIA.short) as wb:
        ws = wb["图片"]
        ws["A2"], ws["C2"], ws["D2"] = "1.10", "实训课堂", name


def photo_issues(scenario: Scenario) -> list[str]:
    return [i.message for i in scenario.report() if str(i.loc) == CELL]


def outside_names(tmp_path: Path, folder: Path) -> dict[str, str]:
    """Ways out of the 图片 folder, each naming a real image outside it."""
    outside = image(tmp_path / "outside.jpg")
    (folder / L.PHOTO_DIR).mkdir(parents=True, exist_ok=True)
    (folder / L.PHOTO_DIR / "link.jpg").symlink_to(outside)
    (folder / L.PHOTO_DIR / "sub").symlink_to(tmp_path, target_is_directory=True)
    up = "../" * (len(folder.relative_to(tmp_path).parts) + 1)
    return {
        "dot-dot": f"{up}outside.jpg",
        "dot-dot, Windows style": f"{up}outside.jpg".replace("/", "\\"),
        "absolute": str(outside),
        "drive letter": "C:\\outside.jpg",
        "link to a file outside": "link.jpg",
        "link to a folder outside": "sub/outside.jpg",
        "a system file": "/etc/passwd",
    }


@pytest.mark.parametrize(
    "way",
    [
        "dot-dot",
        "dot-dot, Windows style",
        "absolute",
        "drive letter",
        "link to a file outside",
        "link to a folder outside",
        "a system file",
    ],
)
def test_a_photo_outside_the_photo_folder_is_refused_at_its_cell(
    scenario: Scenario, tmp_path: Path, way: str
) -> None:
    name = outside_names(tmp_path, scenario.folder)[way]
    name_photo(scenario, name)
    [message] = photo_issues(scenario)
    assert message == f"“{name}”{L.PHOTO_OUTSIDE}"
    assert any(i.is_error and str(i.loc) == CELL for i in scenario.report())


def test_the_message_is_the_same_whether_the_file_outside_exists_or_not(
    scenario: Scenario, tmp_path: Path
) -> None:
    messages = []
    for name in ("/etc/passwd", "/etc/no-such-file", "../../../../nothing-here.jpg"):
        name_photo(scenario, name)
        [message] = photo_issues(scenario)
        messages.append(message.replace(f"“{name}”", ""))
    assert len(set(messages)) == 1
    assert "不是图片" not in messages[0] and "找不到" not in messages[0]


def test_a_photo_in_a_subfolder_or_linked_within_the_folder_is_used(
    scenario: Scenario, tmp_path: Path
) -> None:
    photos = scenario.folder / L.PHOTO_DIR
    image(photos / "2024" / "课堂.jpg")
    (photos / "课堂-链接.jpg").symlink_to(photos / "2024" / "课堂.jpg")
    for name in ("2024/课堂.jpg", "课堂-链接.jpg"):
        name_photo(scenario, name)
        assert photo_issues(scenario) == []


def test_the_report_never_embeds_a_photo_from_outside(test_catalog, tmp_path: Path) -> None:
    """Even past the check, the view holds no path outside the folder: a placeholder."""
    folder = tmp_path / "inputs" / "2024"
    names = outside_names(tmp_path, folder)
    loc = Location(f"{L.SCHOOL_DIR}/{JIA.filename}", "图片", "D2")
    rows = [
        {k: Value(v, loc) for k, v in (("section", "1.10"), ("caption", way), ("file", name))}
        for way, name in names.items()
    ]
    data = dataset(test_catalog)
    data.schools[0].lists["photos"] = rows
    view = make_view(data, test_catalog, JIA.short, folder / L.PHOTO_DIR)
    placed = {p.caption: p.path for ps in view.photos.values() for p in ps}
    assert placed == {way: None for way in names}


def test_photo_path_resolves_within_the_folder(tmp_path: Path) -> None:
    root = tmp_path / L.PHOTO_DIR
    root.mkdir()
    assert L.photo_path(root, "a.jpg") == root / "a.jpg"
    assert L.photo_path(root, "班级/a.jpg") == root / "班级" / "a.jpg"
    for name in (
        "",
        "..",
        "../a.jpg",
        "班级/../../a.jpg",
        "/a.jpg",
        "\\\\server\\a.jpg",
        "D:a.jpg",
    ):
        assert L.photo_path(root, name) is None, name

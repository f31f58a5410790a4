"""What the 下载 page offers: an index of the year's output and input files, by id.

A download names a file by its id in this index, rebuilt for each request from the
folders themselves; a path never comes from the request.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from docxreport import layout as L
from docxreport.web.workspace import Workspace

GROUP_TITLES = {
    "city": "全市报告",
    "schools": "学校报告",
    "confirm": "数据确认表",
    "listing": "数据来源与登记",
    "workbooks": "学校工作簿",
    "backups": "备份",
}
KINDS = (".docx", ".pdf", ".xlsx")
CONFIRM_DIR = "数据确认表"


@dataclass(frozen=True)
class Entry:
    id: str
    group: str
    path: Path
    size: int
    modified: datetime

    @property
    def name(self) -> str:
        return self.path.name


def index(ws: Workspace) -> dict[str, Entry]:
    """Every file a person may download, by id."""
    out, inputs = ws.out_folder(), ws.year_folder()
    found: dict[str, Entry] = {}
    for root, folder in (("out", out), ("inputs", inputs)):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if not _offered(path):
                continue
            rel = path.relative_to(folder)
            group = _group(root, rel)
            if group is None:
                continue
            st = path.stat()
            key = hashlib.sha256(f"{root}/{rel.as_posix()}".encode()).hexdigest()[:20]
            found[key] = Entry(key, group, path, st.st_size, datetime.fromtimestamp(st.st_mtime))
    return found


def grouped(entries: dict[str, Entry]) -> list[tuple[str, str, list[Entry]]]:
    """(group, title, entries) in the page's order, empty groups left out."""
    out = []
    for group, title in GROUP_TITLES.items():
        chosen = [e for e in entries.values() if e.group == group]
        if chosen:
            out.append((group, title, chosen))
    return out


def _offered(path: Path) -> bool:
    name = path.name
    return (
        path.is_file()
        and not path.is_symlink()
        and path.suffix.lower() in KINDS
        and not name.startswith(("~$", ".", "~"))
    )


def _group(root: str, rel: Path) -> str | None:
    if ".备份-" in rel.name:
        return "backups"
    top = rel.parts[0] if len(rel.parts) > 1 else ""
    if root == "inputs":
        return "workbooks" if rel.suffix == ".xlsx" else None
    if top == L.SCHOOL_DIR:
        return "schools"
    if top == CONFIRM_DIR:
        return "confirm"
    if rel.suffix == ".xlsx":
        return "listing"
    return "city" if not top else "listing"

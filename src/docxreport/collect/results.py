"""What ``collect`` did, as plain records: one per file received, one per school.

The command line prints them; a web page can show the same records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from docxreport.model import School

# A school's line in the summary.
NEW = "新收"
UPDATED = "更新（上一版本已备份）"
SAME = "与已有版本相同"
OLDER = "收到较早的版本（已存为备份，未替换）"
NOT_RECEIVED = "未收到"
LOCKED = "未能放入（文件正被 Excel/WPS 打开）"
# A file's outcome, besides the four above.
KEPT = "同批较早的版本（已存为备份）"
KEPT_ALREADY = "同批较早的版本（已有此版本）"
REFUSED = "未收取"
PHOTO_NEW = "图片已放入"
PHOTO_SAME = "与已有图片相同"
PHOTO_RENAMED = "图片已改名放入"

WORKBOOK, PHOTO, OTHER = "工作簿", "图片", "其他"


@dataclass(frozen=True)
class Received:
    """One file received (or an entry of a .zip) and what became of it.

    ``source`` names it as the user gave it; ``placed`` and ``backup`` are relative to
    the year folder; ``digest`` is a workbook's version fingerprint (the one the
    数据确认表 prints) and ``fingerprint`` the SHA-256 of the bytes received.
    """

    source: str
    kind: str  # WORKBOOK, PHOTO or OTHER
    status: str
    message: str = ""
    school: str = ""  # short name
    digest: str = ""
    saved: datetime | None = None
    placed: str = ""
    backup: str = ""
    fingerprint: str = ""

    @property
    def refused(self) -> bool:
        return self.status == REFUSED

    def line(self) -> str:
        who = f"{self.school}：" if self.school else ""
        where = f" {self.placed}" if self.kind == PHOTO and self.placed else ""
        detail = f"；{self.message}" if self.message else ""
        return f"{self.source} → {who}{self.status}{where}{detail}"


@dataclass(frozen=True)
class SchoolOutcome:
    """One registered school after the batch: NEW, UPDATED, SAME, OLDER or NOT_RECEIVED."""

    school: School
    status: str
    file: str  # 学校/<简称>.xlsx
    digest: str = ""  # the version now on file ("" when none)
    backup: str = ""  # where the previous version went
    on_file: bool = False  # a workbook is on file (for NOT_RECEIVED: returned earlier)

    @property
    def filed(self) -> bool:
        """A new version was put in place by this batch."""
        return self.status in (NEW, UPDATED)

    def line(self) -> str:
        if self.status == NOT_RECEIVED:
            earlier = "此前已交，未改动" if self.on_file else "尚未交表"
            return f"{self.school.short}：{self.status}（{earlier}）"
        version = f"（版本 {self.digest[:12]}）" if self.digest else ""
        backup = f"；上一版本：{self.backup}" if self.backup else ""
        return f"{self.school.short}：{self.status}{version}{backup}"


@dataclass
class Collected:
    """A batch collected into one year's folder."""

    year: int
    folder: Path
    at: datetime
    received: list[Received] = field(default_factory=list)
    schools: list[SchoolOutcome] = field(default_factory=list)

    @property
    def filed(self) -> list[School]:
        """The schools whose new workbook was put in place, in registry order."""
        return [o.school for o in self.schools if o.filed]

    @property
    def refused(self) -> list[Received]:
        return [r for r in self.received if r.refused]

    @property
    def changed(self) -> bool:
        """Whether anything was written into the year folder."""
        return any(
            r.placed and r.status not in (SAME, PHOTO_SAME, KEPT_ALREADY) for r in self.received
        )

"""Problems found in the inputs: plain records, collected and printed together."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from docxreport.model import Location

ERROR, WARNING = "错误", "警告"
BLANK = "blank"


@dataclass(frozen=True)
class Issue:
    """One located problem: level, place, indicator (Chinese name) and message."""

    level: str
    loc: Location
    message: str
    indicator: str = ""
    kind: str = ""  # BLANK: a printed figure left blank (summed up, not listed, on screen)

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def sort_key(self) -> tuple:
        return (self.loc.file, self.loc.sheet, _cell_key(self.loc.cell), self.level, self.message)

    def __str__(self) -> str:
        what = f"{self.indicator}：" if self.indicator else ""
        return f"[{self.level}] {self.loc}  {what}{self.message}"


def _cell_key(cell: str) -> tuple[int, int]:
    """Sort cells by row then column: A2 < B2 < A10."""
    col = "".join(ch for ch in cell if ch.isalpha())
    row = "".join(ch for ch in cell if ch.isdigit())
    col_num = 0
    for ch in col.upper():
        col_num = col_num * 26 + (ord(ch) - 64)
    return (int(row) if row else 0, col_num)


def error(loc: Location, message: str, indicator: str = "") -> Issue:
    return Issue(ERROR, loc, message, indicator)


def warning(loc: Location, message: str, indicator: str = "", kind: str = "") -> Issue:
    return Issue(WARNING, loc, message, indicator, kind)


@dataclass
class Report:
    """All issues of a run, sorted by file, sheet and cell."""

    issues: list[Issue] = field(default_factory=list)
    _sorted: tuple[int, list[Issue]] = field(
        default=(-1, []), init=False, repr=False, compare=False
    )
    _files: tuple[int, dict] = field(default=(-1, {}), init=False, repr=False, compare=False)

    def extend(self, issues: Iterable[Issue]) -> None:
        self.issues.extend(issues)

    def _distinct(self) -> list[Issue]:
        """The issues without repeats, sorted."""
        if self._sorted[0] != self._version():
            self._sorted = (self._version(), sorted(set(self.issues), key=Issue.sort_key))
        return self._sorted[1]

    def _version(self) -> tuple[int, int]:
        return id(self.issues), len(self.issues)

    def __iter__(self) -> Iterator[Issue]:
        return iter(self._distinct())

    def __len__(self) -> int:
        return len(self._distinct())

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self if i.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self if not i.is_error]

    @property
    def valid(self) -> bool:
        return not self.errors

    def without(self, kind: str) -> Report:
        """The issues not of ``kind``: what the terminal lists one by one."""
        return Report([i for i in self.issues if i.kind != kind])

    def of_file(self, file: str) -> list[Issue]:
        """The issues located in ``file`` (relative to the year folder), sorted."""
        return self.by_file().get(file, [])

    def by_file(self) -> dict[str, list[Issue]]:
        """The issues by the file they are located in, each list sorted."""
        if self._files[0] != self._version():
            files: dict[str, list[Issue]] = {}
            for issue in self:
                files.setdefault(issue.loc.file, []).append(issue)
            self._files = (self._version(), files)
        return self._files[1]

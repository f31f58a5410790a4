"""Plain data passed between the pipeline's steps: no I/O here.

Every value read from a workbook carries its :class:`Location`, so that any
message or any printed figure can name the file, sheet and cell it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

PREV, CURR = "prev", "curr"
PERIODS = (PREV, CURR)

Scalar = float | int | str | None

# A draft prints this where a figure waits for a school's workbook (``build --draft``).
PENDING = "【待补】"


def is_pending(value: object) -> bool:
    """True for the draft marker, or a Figure/Value holding it."""
    return getattr(value, "value", value) == PENDING


@dataclass(frozen=True, order=True, slots=True)  # one per cell read: hundreds of thousands
class Location:
    """A place in the inputs: ``学校/市一职.xlsx › 办学规模!E5``.

    ``file`` is relative to the year folder; ``sheet`` and ``cell`` may be empty
    when the problem concerns a whole file or sheet.
    """

    file: str
    sheet: str = ""
    cell: str = ""

    def __str__(self) -> str:
        if not self.sheet:
            return self.file
        if not self.cell:
            return f"{self.file} › {self.sheet}"
        return f"{self.file} › {self.sheet}!{self.cell}"


@dataclass(frozen=True, slots=True)
class Value:
    """One value read from a cell (``None`` when the cell is empty)."""

    value: Scalar
    loc: Location
    invalid: bool = False  # the cell held something unusable, already reported
    held: Scalar = None  # what an unusable cell held (text in a number cell), for messages

    @property
    def empty(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class School:
    """A school in the bureau's registry."""

    short: str
    full: str
    aliases: tuple[str, ...] = ()
    order: int = 0

    def names(self) -> tuple[str, ...]:
        return (self.short, self.full, *self.aliases)

    @property
    def filename(self) -> str:
        return f"{self.short}.xlsx"


@dataclass(frozen=True)
class TeamMember:
    role: str
    name: str
    title: str = ""


@dataclass(frozen=True)
class Published:
    """A figure as printed in a published report, kept only to reconcile against."""

    table: str
    key: str
    period: str
    school: str  # short name, or "" for the city
    value: float
    loc: Location
    note: str = ""


Row = dict[str, Value]


@dataclass
class SchoolData:
    """Everything read from one school's workbook."""

    school: School
    file: str  # relative to the year folder, e.g. 学校/市一职.xlsx
    year: int | None = None
    digest: str = ""  # the workbook's version fingerprint (SHA-256 of its cell values)
    contact: str = ""  # 基本信息's 填表人 and 联系电话, for the reminder list
    phone: str = ""
    values: dict[tuple[str, str], Value] = field(default_factory=dict)
    lists: dict[str, list[Row]] = field(default_factory=dict)

    def get(self, key: str, period: str = CURR) -> Scalar:
        v = self.values.get((key, period))
        return None if v is None else v.value

    def has_graduates(self, period: str = CURR) -> bool:
        """Whether the school had graduates in ``period`` (an empty or zero count means none)."""
        return counts_any(self.get(GRADUATES, period))


GRADUATES = "graduates"  # the indicator whose count tells whether a school had graduates


def counts_any(value: Scalar) -> bool:
    """Whether a count is a number above zero."""
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


@dataclass(frozen=True)
class Choice:
    """One row of the city workbook's 案例与图片遴选 sheet, as read.

    ``owner``…``title`` name the submission (written by check from the workbooks);
    ``chosen`` (入选全市报告), ``order`` (顺序), ``target`` (全市报告章节) and ``note``
    (备注) are the compiling group's.
    """

    row: int
    owner: str
    kind: str
    section: str
    title: str
    chosen: Value
    order: Value
    target: Value
    note: Value
    chars: Scalar = None
    photos: Scalar = None
    status: str = ""


@dataclass
class CityData:
    """Everything read from the bureau's workbook (市级.xlsx)."""

    file: str
    region: str = ""
    region_full: str = ""
    code: str = ""
    bureau: str = ""
    year: int | None = None
    declaration_date: date | None = None
    publish_date: date | None = None
    reviewers: str = ""
    province: str = ""  # the region's word for the province level (省级, 自治区); "" is 省级
    team: list[TeamMember] = field(default_factory=list)
    registry: list[School] = field(default_factory=list)
    values: dict[tuple[str, str], Value] = field(default_factory=dict)
    published: list[Published] = field(default_factory=list)
    lists: dict[str, list[Row]] = field(default_factory=dict)
    # The registry's 已确认版本 cells by school short name; "" column: the sheet has none.
    confirmed: dict[str, Value] = field(default_factory=dict)
    confirmed_column: str = ""
    # Optional registry columns 联系人 and 联系电话, by school short name: (name, phone).
    contacts: dict[str, tuple[str, str]] = field(default_factory=dict)
    # The city report's limits (基本信息; see layout.LIMITS): a None value is no limit.
    limits: dict[str, Value] = field(default_factory=dict)
    choices: list[Choice] | None = None  # 案例与图片遴选; None: the workbook has no such sheet
    _by_name: tuple[tuple[int, int], dict[str, School]] = field(
        default=((0, -1), {}), init=False, repr=False, compare=False
    )

    def school(self, name: str) -> School | None:
        """Find a registered school by its short name, full name or an alias."""
        if self._by_name[0] != (id(self.registry), len(self.registry)):  # a new or longer list
            index: dict[str, School] = {}
            for s in self.registry:
                for known in s.names():
                    index.setdefault(known, s)  # the first school of the registry wins
            self._by_name = ((id(self.registry), len(self.registry)), index)
        return self._by_name[1].get(name.strip())


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure ready to print, with where it came from.

    ``sources`` are the cells it was read or computed from; ``rule`` explains a
    computed figure in Chinese (``合计 = 7 个单元格之和``); empty for a plain cell.
    """

    value: Scalar
    sources: tuple[Location, ...] = ()
    rule: str = ""

    @property
    def empty(self) -> bool:
        return self.value is None


EMPTY = Figure(None)


@dataclass
class Dataset:
    """The validated inputs of one year plus every figure the reports print.

    ``city_figures`` and ``school_figures`` are filled by :mod:`docxreport.rollup`
    from the catalog's rules; renderers only call :meth:`figure`.
    """

    year: int
    city: CityData
    schools: list[SchoolData]
    city_figures: dict[tuple[str, str], Figure] = field(default_factory=dict)
    city_totals: dict[tuple[str, str], Figure] = field(default_factory=dict)
    school_figures: dict[str, dict[tuple[str, str], Figure]] = field(default_factory=dict)
    # The cases and photos the city report prints (see docxreport.selection); None: all.
    selection: Any = None
    _by_short: tuple[tuple[int, int], dict[str, SchoolData]] = field(
        default=((0, -1), {}), init=False, repr=False, compare=False
    )

    @property
    def prev_year(self) -> int:
        return self.year - 1

    def school_data(self, name: str) -> SchoolData | None:
        """The data of the registered school called ``name``; None when it sent no workbook."""
        school = self.city.school(name)
        short = school.short if school else name
        if self._by_short[0] != (id(self.schools), len(self.schools)):  # a new or longer list
            index: dict[str, SchoolData] = {}
            for sd in self.schools:
                index.setdefault(sd.school.short, sd)
            self._by_short = ((id(self.schools), len(self.schools)), index)
        return self._by_short[1].get(short)

    def has_graduates(self, school: str, period: str = CURR) -> bool:
        sd = self.school_data(school)
        return sd is not None and sd.has_graduates(period)

    def total(self, key: str, period: str = CURR) -> Figure:
        """The city figure computed from the schools' rows (a table's 合计 row).

        It differs from :meth:`figure` for the previous year, whose city figure is
        the one published then; it falls back to :meth:`figure` where the rule
        cannot compute (a figure given by the bureau).
        """
        total = self.city_totals.get((key, period), EMPTY)
        return self.figure(key, period) if total.empty else total

    def figure(self, key: str, period: str = CURR, school: str | None = None) -> Figure:
        """The figure of indicator ``key`` for ``period``; ``school`` None means the city."""
        if school is None:
            return self.city_figures.get((key, period), EMPTY)
        sd = self.school_data(school)
        if sd is None:
            return EMPTY
        return self.school_figures.get(sd.school.short, {}).get((key, period), EMPTY)

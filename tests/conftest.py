"""Shared fixtures: a small test catalog and scenario folders written into tmp_path.

Every scenario starts from a clean year folder (city workbook + two school
workbooks, written by ``docxreport.workbook``) and is then mutated with openpyxl
to create the one problem a test is about.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest

from docxreport import layout as L
from docxreport.catalog import Catalog, default_catalog, load_catalog
from docxreport.issues import Issue, Report
from docxreport.load import Loaded, load_year
from docxreport.model import CityData, Dataset, Location, School, SchoolData, Value
from docxreport.rollup import roll_up
from docxreport.workbook import write_city, write_school

YEAR = 2024
PREV, CURR = "prev", "curr"

LISTS_TOML = """
[[lists]]
id = "majors"
sheet = "专业设置"
inactive_column = "adjust"
inactive_values = ["停办"]
columns = [
  { key = "code", name = "专业代码", required = true },
  { key = "name", name = "专业名称", required = true },
  { key = "since", name = "专业设置时间" },
  { key = "prev_classes", name = "{prev} 学年班级", kind = "count" },
  { key = "new_classes", name = "{curr} 学年新招班级", kind = "count" },
  { key = "students", name = "{curr} 学年专业人数", kind = "count" },
  { key = "adjust", name = "专业调整情况", choices = ["未调", "新增", "调整", "停办"] },
]

[[lists]]
id = "cases"
sheet = "案例"
columns = [
  { key = "section", name = "章节", required = true },
  { key = "title", name = "标题", required = true },
  { key = "text", name = "正文", required = true },
]

[[lists]]
id = "photos"
sheet = "图片"
columns = [
  { key = "section", name = "章节", required = true },
  { key = "case", name = "所属案例" },
  { key = "caption", name = "图题", required = true },
  { key = "file", name = "文件" },
]
"""

# Cell map of the test catalog (school workbook; 上年 in D, 本年 in E):
#   办学规模  row 2 staff, 3 students, 4 graduates, 5 fulltime_teachers (其中 of staff),
#            row 6 major_count (counts the 专业设置 list; city value given)
#   师资队伍  row 2 student_teacher_ratio (ratio students / fulltime_teachers),
#            row 3 dual_rate (percent, mean), row 4 senior_share (percent, mean),
#            row 5 senior_rate (percent, compare_with senior_share, mean)
#   经费      row 2 funds (amount, 2 decimals, sum), row 3 placement_rate (percent,
#            required for schools with graduates, mean), row 4 remarks (text, not rolled up)
# City workbook 市级指标: rows 2-12 in the same catalog order, without remarks (上年 in E,
# 本年 in F): row 2 staff, 6 major_count, 11 funds.
TEST_CATALOG_TOML = (
    """
[[sheets]]
id = "scale"
name = "办学规模"

[[sheets]]
id = "teachers"
name = "师资队伍"

[[sheets]]
id = "funding"
name = "经费"
"""
    + LISTS_TOML
    + """
[[indicators]]
key = "staff"
name = "教职工总数"
unit = "人"
kind = "count"
sheet = "scale"
required = "always"

[[indicators]]
key = "students"
name = "全日制在校生人数"
unit = "人"
kind = "count"
sheet = "scale"
required = "always"

[[indicators]]
key = "graduates"
name = "毕业生人数"
unit = "人"
kind = "count"
sheet = "scale"

[[indicators]]
key = "fulltime_teachers"
name = "专任教师总数"
unit = "人"
kind = "count"
sheet = "scale"
parent = "staff"

[[indicators]]
key = "major_count"
name = "专业数量"
unit = "个"
kind = "count"
sheet = "scale"
counts_list = "majors"
city = { rule = "given" }

[[indicators]]
key = "student_teacher_ratio"
name = "生师比"
unit = ""
kind = "ratio"
sheet = "teachers"
decimals = 2
city = { rule = "ratio", numerator = "students", denominator = "fulltime_teachers" }

[[indicators]]
key = "dual_rate"
name = "双师型教师比例"
unit = "%"
kind = "percent"
sheet = "teachers"
decimals = 2
city = { rule = "mean" }

[[indicators]]
key = "senior_share"
name = "高级教师占比"
unit = "%"
kind = "percent"
sheet = "teachers"
decimals = 2
city = { rule = "mean" }

[[indicators]]
key = "senior_rate"
name = "高级职称教师比例"
unit = "%"
kind = "percent"
sheet = "teachers"
decimals = 2
compare_with = "senior_share"
city = { rule = "mean" }

[[indicators]]
key = "funds"
name = "办学经费"
unit = "万元"
kind = "amount"
sheet = "funding"
decimals = 2

[[indicators]]
key = "placement_rate"
name = "就业率"
unit = "%"
kind = "percent"
sheet = "funding"
decimals = 2
required = "graduates"
city = { rule = "mean" }

[[indicators]]
key = "remarks"
name = "备注"
unit = ""
kind = "text"
sheet = "funding"
city = { rule = "none" }
"""
)

JIA = School("甲校", "甲市第一职业学校", ("一职",), 0)
YI = School("乙校", "甲市第二职业学校", ("二职",), 1)
REGISTRY = (JIA, YI)

# Clean figures: no check fires on them (no jump, parts within wholes, ratios agree).
JIA_VALUES = {
    "staff": (100, 102),
    "students": (1000, 1020),
    "graduates": (300, 310),
    "fulltime_teachers": (80, 85),
    "student_teacher_ratio": (12.5, 12),
    "dual_rate": (60, 62),
    "senior_share": (30, 31),
    "senior_rate": (30, 31),
    "funds": (500.5, 520.25),
    "placement_rate": (95, 96),
}
YI_VALUES = {
    "staff": (50, 52),
    "students": (400, 410),
    "graduates": (120, 125),
    "fulltime_teachers": (40, 41),
    "student_teacher_ratio": (10, 10),
    "dual_rate": (50, 54),
    "senior_share": (20, 21),
    "senior_rate": (20, 21),
    "funds": (200, 210.5),
    "placement_rate": (90, 92),
}
SCHOOL_VALUES = {"甲校": JIA_VALUES, "乙校": YI_VALUES}


def as_values(pairs: dict[str, tuple]) -> dict[tuple[str, str], object]:
    """``{"staff": (prev, curr)}`` → ``{("staff", "prev"): prev, ("staff", "curr"): curr}``."""
    out: dict[tuple[str, str], object] = {}
    for key, (prev, curr) in pairs.items():
        out[(key, PREV)], out[(key, CURR)] = prev, curr
    return out


def city_data(registry: tuple[School, ...] = REGISTRY) -> CityData:
    return CityData(
        file=L.CITY_FILE,
        region="甲市",
        region_full="甲省甲市",
        bureau="甲市教育局",
        registry=list(registry),
    )


@pytest.fixture(scope="session")
def test_catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The small catalog above, loaded from a TOML file like the shipped one."""
    path = tmp_path_factory.mktemp("catalog") / "catalog.toml"
    path.write_text(TEST_CATALOG_TOML, "utf-8")
    return load_catalog(path)


@dataclass
class Scenario:
    """A year folder under ``inputs`` written from a catalog, to mutate and load."""

    inputs: Path
    cat: Catalog
    year: int = YEAR
    registry: tuple[School, ...] = REGISTRY
    loaded: Loaded | None = field(default=None, repr=False)

    @property
    def folder(self) -> Path:
        return self.inputs / str(self.year)

    @property
    def city_path(self) -> Path:
        return self.folder / L.CITY_FILE

    def school_path(self, name: str) -> Path:
        return self.folder / L.SCHOOL_DIR / f"{name}.xlsx"

    def path(self, who: str) -> Path:
        """``"市级"`` for the city workbook, else a school file stem."""
        return self.city_path if who == "市级" else self.school_path(who)

    def write_city(
        self, values: dict | None = None, published: list[dict] | None = None, **kw
    ) -> None:
        write_city(
            self.city_path,
            self.cat,
            city_data(self.registry),
            self.year,
            values=values or {},
            published=published or [],
            **kw,
        )

    def write_school(self, school: School, values: dict | None = None, **kw) -> None:
        write_school(self.school_path(school.short), self.cat, school, self.year, values, **kw)

    @contextmanager
    def edit(self, who: str) -> Iterator[openpyxl.Workbook]:
        """Open a workbook with openpyxl, let the test change it, save it back."""
        path = self.path(who)
        wb = openpyxl.load_workbook(path)
        yield wb
        wb.save(path)

    def set(self, who: str, sheet: str, cell: str, value: object, fmt: str | None = None) -> None:
        with self.edit(who) as wb:
            wb[sheet][cell].value = value
            if fmt is not None:
                wb[sheet][cell].number_format = fmt

    def load(self) -> Loaded:
        self.loaded = load_year(self.inputs, self.year, self.cat)
        return self.loaded

    def report(self) -> Report:
        return self.load().report


@pytest.fixture(scope="session")
def clean_inputs(tmp_path_factory: pytest.TempPathFactory, test_catalog: Catalog) -> Path:
    """Written once per session; each test gets its own copy (see ``scenario``)."""
    sc = Scenario(tmp_path_factory.mktemp("clean") / "inputs", test_catalog)
    sc.write_city()
    for school in REGISTRY:
        sc.write_school(school, as_values(SCHOOL_VALUES[school.short]))
    return sc.inputs


def copy_scenario(clean_inputs: Path, dest: Path, cat: Catalog) -> Scenario:
    shutil.copytree(clean_inputs, dest / "inputs")
    return Scenario(dest / "inputs", cat)


@pytest.fixture
def scenario(tmp_path: Path, test_catalog: Catalog, clean_inputs: Path) -> Scenario:
    """A clean year with the test catalog: 市级.xlsx, 学校/甲校.xlsx and 学校/乙校.xlsx."""
    return copy_scenario(clean_inputs, tmp_path, test_catalog)


@pytest.fixture(scope="session")
def real_catalog() -> Catalog:
    """The shipped catalog (being extended elsewhere: tests use only required keys)."""
    return default_catalog()


def required_values(cat: Catalog) -> dict[tuple[str, str], object]:
    """This-year values for every always-required indicator of ``cat``: small, consistent."""
    base = {"staff": 100, "enrolment": 300, "students": 900, "graduates": 0}
    out = {}
    for ind in cat.indicators:
        if ind.required != "always":
            continue
        if ind.key in base:
            value = base[ind.key]
        elif ind.kind == "text":
            value = "有"
        elif ind.parent:
            value = 1
        else:
            value = 10
        out[(ind.key, CURR)] = value
    return out


@pytest.fixture(scope="session")
def real_inputs(tmp_path_factory: pytest.TempPathFactory, real_catalog: Catalog) -> Path:
    """One school (甲校) with the shipped catalog: the CLI's real input, kept small."""
    sc = Scenario(tmp_path_factory.mktemp("real") / "inputs", real_catalog, registry=(JIA,))
    sc.write_city()
    sc.write_school(JIA, required_values(real_catalog))
    return sc.inputs


@pytest.fixture
def real_scenario(tmp_path: Path, real_catalog: Catalog, real_inputs: Path) -> Scenario:
    """A clean year with the shipped catalog, only required values filled."""
    shutil.copytree(real_inputs, tmp_path / "inputs")
    return Scenario(tmp_path / "inputs", real_catalog, registry=(JIA,))


def find(issues: Report | list[Issue], loc: str, *words: str) -> Issue:
    """The one issue located at ``loc`` whose text contains every word; fail helpfully."""
    hits = [
        i for i in issues if str(i.loc) == loc and all(w in i.message + i.indicator for w in words)
    ]
    if len(hits) != 1:
        shown = "\n".join(str(i) for i in issues) or "（无）"
        pytest.fail(f"expected one issue at {loc} with {words}, got {len(hits)} in:\n{shown}")
    return hits[0]


def locs(issues: Report | list[Issue]) -> list[str]:
    return [str(i.loc) for i in issues]


def has_words(text: str, *words: str) -> bool:
    """All ``words`` appear in ``text`` in this order (messages may be reworded around them)."""
    at = 0
    for word in words:
        at = text.find(word, at)
        if at < 0:
            return False
        at += len(word)
    return True


COLS = {"prev": "D", "curr": "E"}


def school_data(cat: Catalog, school, pairs: dict[str, tuple], lists=None) -> SchoolData:
    """Values placed where the workbook layout puts them: ``学校/甲校.xlsx › 办学规模!E2``."""
    rel = f"{L.SCHOOL_DIR}/{school.filename}"
    cells = L.indicator_cells(cat)
    sd = SchoolData(school=school, file=rel, year=YEAR, lists=lists or {})
    for ind in cat.indicators:
        sheet, row = cells[ind.key]
        prev, curr = pairs.get(ind.key, (None, None))
        for period, value in (("prev", prev), ("curr", curr)):
            loc = Location(rel, sheet, f"{COLS[period]}{row}")
            sd.values[(ind.key, period)] = Value(value, loc)
    return sd


CITY_COLS = {"prev": "E", "curr": "F"}


def city_values(cat: Catalog, values: dict[tuple[str, str], object]) -> dict:
    """City-workbook values placed where the layout puts them: ``市级.xlsx › 市级指标!F2``."""
    rows = {ind.key: L.FIRST_ROW + i for i, ind in enumerate(L.city_indicators(cat))}
    return {
        (key, period): Value(
            value, Location(L.CITY_FILE, L.CITY_VALUES_SHEET, f"{CITY_COLS[period]}{rows[key]}")
        )
        for (key, period), value in values.items()
    }


def rolled_up(
    cat: Catalog,
    jia: dict[str, tuple] = JIA_VALUES,
    yi: dict[str, tuple] = YI_VALUES,
    city: dict[tuple[str, str], object] | None = None,
    published: tuple = (),
) -> tuple[Dataset, list[Issue]]:
    """A dataset of 甲校 and 乙校 built in memory and rolled up: no file involved."""
    city_in = city_data()
    city_in.values = city_values(cat, city or {})
    city_in.published = list(published)
    data = Dataset(
        year=YEAR,
        city=city_in,
        schools=[school_data(cat, JIA, jia), school_data(cat, YI, yi)],
    )
    return data, roll_up(data, cat)


def dataset(cat: Catalog, **kw) -> Dataset:
    return rolled_up(cat, **kw)[0]

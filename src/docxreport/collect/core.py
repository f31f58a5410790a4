"""``collect``: file the workbooks and photos schools sent back, whatever they are called.

Each workbook is identified by its content (:mod:`docxreport.workbook.identify`):
the school and year its 基本信息 states, matched to the registry by short name,
full name or alias. Several versions of one school in a batch: the newest by the
workbook's own saved time, then by file time, is put in place; every other
version is kept (:mod:`.schools`). Photos go to the year's 图片 folder. Anything
else is left where it was, with a Chinese line saying why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from docxreport import layout as L
from docxreport.catalog import Catalog
from docxreport.collect import gather as G
from docxreport.collect import results as R
from docxreport.collect.place import is_backup, place_photo, safe_name, sha
from docxreport.collect.results import Collected
from docxreport.collect.schools import Candidate, file_school
from docxreport.errors import InputError
from docxreport.load import region_catalog, resolve_year
from docxreport.model import CityData, School
from docxreport.workbook import convert, identify
from docxreport.workbook.read import read_city

_OTHER = "不是数据表，也不是照片（应为 .xlsx 工作簿，或 JPG、PNG 等图片），未收取"


def collect(
    paths: Sequence[Path],
    inputs: Path = Path("inputs"),
    year: int | None = None,
    cat: Catalog | None = None,
    names: Mapping[Path, str] | None = None,
    now: datetime | None = None,
) -> Collected:
    """File what ``paths`` hold (files, folders, .zip) into ``inputs/<year>/``.

    ``year`` defaults to the newest year folder; ``names`` gives display names
    for paths (an upload's original name). Returns one record per file received
    and one per registered school; raises :class:`InputError` only when the year
    or its registry cannot be read.
    """
    year = resolve_year(inputs, year)
    cat = cat or region_catalog(inputs, year)
    folder = inputs / str(year)
    city = _registry(folder, cat, year)
    done = Collected(year, folder, now or datetime.now().replace(microsecond=0))
    items = _converted(list(G.gather(list(paths), names)))
    cands, photos, refused = _sort(items, folder, city, year, cat)
    done.received += refused
    outcomes = {}
    for short, group in cands.items():
        outcomes[short], lines = file_school(folder, group[0].school, group, done.at)
        moved = _tidy(folder, group, lines)
        done.received += [
            replace(r, message="；".join(m for m in (r.message, "原文件名不对，已从原处移走") if m))
            if r.source in moved
            else r
            for r in lines
        ]
    received = [c for g in cands.values() for c in g]
    done.received += _photos(folder, photos, received, city, cat)
    done.received.sort(key=lambda r: r.source)
    done.schools = [outcomes.get(s.short) or _not_received(folder, s) for s in city.registry]
    return done


def _sort(
    items: list[tuple[G.Item, str]], folder: Path, city: CityData, year: int, cat: Catalog
) -> tuple[dict[str, list[Candidate]], list[G.Item], list[R.Received]]:
    """Each school's workbooks, the photos, and what is refused (with why)."""
    cands: dict[str, list[Candidate]] = defaultdict(list)
    photos: list[G.Item] = []
    refused: list[R.Received] = []
    for item, note in items:
        if _kept_here(item, folder):
            continue  # an earlier version collect itself keeps in 学校/
        if item.problem:
            refused.append(_refused(item, item.problem))
        elif not _readable(item):
            refused.append(_refused(item, G.UNREADABLE))
        elif item.kind == G.WORKBOOK:
            found = _candidate(item, note, city, year, cat)
            if isinstance(found, Candidate):
                cands[found.school.short].append(found)
            else:
                refused.append(found)
        elif item.kind == G.PHOTO:
            photos.append(item)
        else:
            refused.append(_refused(item, _OTHER))
    return cands, photos, refused


def _registry(folder: Path, cat: Catalog, year: int) -> CityData:
    path = folder / L.CITY_FILE
    if not path.is_file():
        raise InputError(f"缺少市级数据表 {path}：需要其中的学校名册才能辨认各校的工作簿")
    city, issues = read_city(path, L.CITY_FILE, cat, year)
    if city is None or not city.registry:
        why = issues[0].message if issues else "学校名册为空"
        raise InputError(f"无法读取 {path} 的学校名册（{why}），请先运行 docxreport check")
    return city


def _readable(item: G.Item) -> bool:
    """Whether a file can still be read (it may have gone, or be locked, since it was listed)."""
    try:
        item.read()
    except OSError:
        return False
    return True


def _refused(item: G.Item, why: str) -> R.Received:
    return R.Received(item.label, _kind_word(item.kind), R.REFUSED, why, fingerprint=_sha(item))


def _sha(item: G.Item) -> str:
    """The received bytes' SHA-256 ("" for what could not be read)."""
    if item.origin or item.problem:
        return item.origin
    try:
        return sha(item.read())
    except OSError:
        return ""


def _kind_word(kind: str) -> str:
    return {G.WORKBOOK: R.WORKBOOK, G.OLD_FORMAT: R.WORKBOOK, G.PHOTO: R.PHOTO}.get(kind, R.OTHER)


def _converted(items: list[G.Item]) -> list[tuple[G.Item, str]]:
    """Old formats (.xls, .et, .ods) converted to .xlsx in one LibreOffice run."""
    old = [i for i in items if i.kind == G.OLD_FORMAT and not i.problem]
    sent = [(i, i.read()) for i in old]
    for item, data in sent:
        item.origin = sha(data)
    made = convert.to_xlsx([(i.label, data) for i, data in sent]) if sent else {}
    out = []
    for item in items:
        result = made.get(item.label) if item.kind == G.OLD_FORMAT else None
        if isinstance(result, bytes):
            item.kind, item.read = G.WORKBOOK, (lambda data=result: data)
            out.append((item, "旧格式，已用 LibreOffice 转换为 .xlsx 后收取"))
            continue
        if isinstance(result, str):
            item.problem = f"旧格式（.xls/.et/.ods）：{result}"
        out.append((item, ""))
    return out


def _candidate(
    item: G.Item, note: str, city: CityData, year: int, cat: Catalog
) -> Candidate | R.Received:
    data = item.read()
    ident = identify.identify(data, item.name, cat)
    if ident.kind != identify.SCHOOL:
        return _refused(item, ident.problem)
    found = _match(ident, city, year)
    if isinstance(found, str):
        school = city.school(ident.school or ident.full)  # known for another year's workbook
        short = school.short if school else ""
        fingerprint = item.origin or sha(data)
        return R.Received(
            item.label,
            R.WORKBOOK,
            R.REFUSED,
            found,
            short,
            ident.digest,
            ident.saved,
            fingerprint=fingerprint,
        )
    return Candidate(item, data, ident, found, note)


def _match(ident: identify.Identity, city: CityData, year: int) -> School | str:
    """The registered school a workbook is stamped with, or why it cannot be filed."""
    named = [n for n in (ident.school, ident.full) if n]
    if not named:
        return "“基本信息”中没有填写学校名称，无法判断是哪所学校的工作簿"
    found = list(dict.fromkeys(s for s in map(city.school, named) if s is not None))
    if not found:
        listed = "、".join(s.short for s in city.registry)
        return (
            f"“基本信息”中的学校“{named[0]}”不在 {year} 年的学校名册中（{listed}）；"
            "如是新增的学校，请先在 市级.xlsx 的“学校名册”中添加"
        )
    if len(found) > 1:
        return (
            f"“基本信息”中的简称“{ident.school}”和全称“{ident.full}”是名册中的两所学校"
            f"（{found[0].short}、{found[1].short}），请与学校核对"
        )
    if ident.year != year:
        shown = ident.year_text or "（空）"
        return (
            f"这是{found[0].short}标注为 {shown} 年度的工作簿，本次收的是 {year} 年度；"
            "请确认学校是否发错了文件（其他年度请用 --year 指定）"
        )
    return found[0]


def _tidy(folder: Path, group: list[Candidate], lines: list[R.Received]) -> set[str]:
    """A misnamed workbook found in 学校/ itself is moved, not copied, once it is kept.

    Returns the labels of the files moved.
    """
    sdir = (folder / L.SCHOOL_DIR).resolve()
    kept = {line.fingerprint for line in lines if not line.refused}
    moved = set()
    for c in group:
        path = c.item.path
        if path is None or path.resolve().parent != sdir or is_backup(path.name):
            continue
        if path.name != c.school.filename and c.fingerprint in kept:
            path.unlink(missing_ok=True)
            moved.add(c.item.label)
    return moved


def _kept_here(item: G.Item, folder: Path) -> bool:
    here = item.path is not None and item.path.resolve().parent == (folder / L.SCHOOL_DIR).resolve()
    return here and is_backup(item.name)


def _not_received(folder: Path, school: School) -> R.SchoolOutcome:
    rel = f"{L.SCHOOL_DIR}/{school.filename}"
    return R.SchoolOutcome(school, R.NOT_RECEIVED, rel, on_file=(folder / rel).is_file())


def _photos(
    folder: Path, photos: list[G.Item], cands: list[Candidate], city: CityData, cat: Catalog
) -> list[R.Received]:
    """Put each photo in 图片/; a clashing name gets its school's short name as a prefix."""
    listed: dict[str, dict[str, str]] = defaultdict(dict)  # name → {school: its cell}
    by_container: dict[str, set[str]] = defaultdict(set)
    for c in cands:
        for name, cell in c.ident.photos:
            listed[name].setdefault(c.school.short, cell)
        if c.item.container:
            by_container[c.item.container].add(c.school.short)
    out = []
    pdir = folder / L.PHOTO_DIR
    on_file = _Listed(folder, city, cat)
    for item in photos:
        name = safe_name(item.name)
        if not name:
            out.append(
                _refused(item, "文件名不能用作图片文件名（含控制字符或过长），请改名后重新发送")
            )
            continue
        cells = listed.get(name) or dict.fromkeys(by_container.get(item.container, ()), "")
        data = item.read()
        if not cells and _clashes(pdir / name, data):
            cells = on_file.cells(name)
        owner = next(iter(cells)) if len(cells) == 1 else ""
        try:
            how, placed = place_photo(pdir, name, data, safe_name(owner))
        except OSError as exc:
            out.append(_refused(item, f"无法放入 {L.PHOTO_DIR}/：{exc}"))
            continue
        status = {"same": R.PHOTO_SAME, "new": R.PHOTO_NEW, "renamed": R.PHOTO_RENAMED}[how]
        message = "" if name == item.name else f"文件名中不能用的字符已改为 _：{name}"
        if how == "renamed":
            message = _renamed(name, placed, owner, cells.get(owner, ""))
        rel = f"{L.PHOTO_DIR}/{placed}"
        out.append(
            R.Received(item.label, R.PHOTO, status, message, owner, "", None, rel, "", sha(data))
        )
    return out


def _clashes(path: Path, data: bytes) -> bool:
    return path.is_file() and path.read_bytes() != data


class _Listed:
    """Which schools' workbooks on file list a photo's name (read only when a name clashes)."""

    def __init__(self, folder: Path, city: CityData, cat: Catalog) -> None:
        self.folder, self.city, self.cat = folder, city, cat
        self._names: dict[str, dict[str, str]] | None = None

    def cells(self, name: str) -> dict[str, str]:
        """School short name → the cell of its 图片 sheet that names ``name``."""
        if self._names is None:
            self._names = defaultdict(dict)
            for school in self.city.registry:
                path = self.folder / L.SCHOOL_DIR / school.filename
                if path.is_file():
                    ident = identify.identify(path.read_bytes(), path.name, self.cat)
                    for listed, cell in ident.photos:
                        self._names[listed].setdefault(school.short, cell)
        return self._names.get(name, {})


def _renamed(name: str, placed: str, owner: str, cell: str) -> str:
    said = f"{L.PHOTO_DIR}/{name} 已有另一张同名图片，此图存为 {L.PHOTO_DIR}/{placed}"
    if not cell:
        return f"{said}；请在工作簿“图片”表中相应改写文件名"
    return f"{said}；请把 {L.SCHOOL_DIR}/{owner}.xlsx › {cell} 改为 {placed}"

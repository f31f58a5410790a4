"""Gather what was received: files, folders and .zip archives, as the items inside them.

Everything here is hostile input. An archive is opened only within the limits of
:mod:`docxreport.workbook.guard` (its unpacked size, counted over nested archives
too) and an entry whose name climbs out of it (``..``), is absolute, or is a link is
refused, never written anywhere. Entry names written by Chinese Windows (GBK without
the UTF-8 flag) are decoded as such.
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from docxreport.workbook.guard import MAX_UNPACKED

WORKBOOK, OLD_FORMAT, PHOTO, ARCHIVE, OTHER = "workbook", "old", "photo", "archive", "other"
IMAGE_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".heic", ".heif", ".tif", ".tiff"}
)
OLD_SUFFIXES = frozenset({".xls", ".et", ".ods"})
UNSUPPORTED_ARCHIVES = frozenset({".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz"})
UNREADABLE = "无法读取（没有权限，或正被其他程序占用）"
MAX_ENTRIES = 2000  # entries of one archive, nested ones included
MAX_DEPTH = 2  # a zip inside a zip is opened; one more level is not
_IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"BM", b"II*\0", b"MM\0*")


@dataclass
class Item:
    """One file received: on disk (``path``) or an archive's entry.

    ``label`` names it for the user (``下载/附件.zip › 图片/1.jpg``); ``problem`` is set
    when it was refused while gathering.
    """

    label: str
    name: str
    kind: str
    read: Callable[[], bytes]
    mtime: datetime | None = None
    path: Path | None = None
    container: str = ""  # the archive it came from ("" for a loose file)
    problem: str = ""
    origin: str = ""  # SHA-256 of the bytes as received, when ``read`` gives a conversion


def ignored(name: str) -> bool:
    """Lock files, hidden files and system clutter: not something anyone sent."""
    low = name.lower()
    return name.startswith(("~$", ".~", ".")) or low in _IGNORED_NAMES


def _kind(name: str, head: bytes, members: list[str] | None) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    if members is not None:
        if "xl/workbook.xml" in members:
            return WORKBOOK
        if "mimetype" in members and "content.xml" in members:
            return OLD_FORMAT  # OpenDocument (.ods)
        if "[Content_Types].xml" in members:
            return OTHER  # a Word or PowerPoint file
        return ARCHIVE
    if head.startswith(_OLE):
        return OLD_FORMAT if suffix not in (".doc", ".ppt") else OTHER
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return PHOTO
    if head[4:8] == b"ftyp" and suffix in IMAGE_SUFFIXES:
        return PHOTO  # HEIC/HEIF
    if suffix in OLD_SUFFIXES:
        return OLD_FORMAT
    if suffix in (".xlsx", ".xlsm"):
        return WORKBOOK  # the reader says what is wrong with it
    return OTHER


def _zip_members(data_or_path: bytes | Path) -> list[str] | None:
    source = io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else data_or_path
    try:
        with zipfile.ZipFile(source) as package:
            return package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _label(path: Path, names: Mapping[Path, str]) -> str:
    if path in names:
        return names[path]
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def gather(paths: list[Path], names: Mapping[Path, str] | None = None) -> Iterator[Item]:
    """Every item in ``paths`` (files, folders walked in name order, archives opened).

    ``names`` gives a display name for a path (an upload's original name).
    """
    names = names or {}
    seen: set[Path] = set()  # a file named twice (itself and in its folder) is taken once
    for path in paths:
        files = sorted(_walk(path)) if path.is_dir() else [path] if path.is_file() else []
        for file in files:
            if file.is_dir():  # a folder that could not be listed
                yield Item(
                    _label(file, names),
                    file.name,
                    OTHER,
                    bytes,
                    problem="无法打开这个文件夹（没有权限）",
                )
            elif file.resolve() not in seen:
                seen.add(file.resolve())
                yield from _loose(file, _label(file, names))
        if path.is_dir() or path.is_file():
            continue
        label = _label(path, names)
        yield Item(label, path.name, OTHER, bytes, path=path, problem="找不到这个文件或文件夹")


def _walk(folder: Path) -> Iterator[Path]:
    try:
        children = list(folder.iterdir())
    except OSError:
        yield folder
        return
    for child in children:
        if ignored(child.name) or child.is_symlink():
            continue
        if child.is_dir():
            yield from _walk(child)
        elif child.is_file():
            yield child


def _loose(path: Path, label: str) -> Iterator[Item]:
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
        info = path.stat()
    except OSError:
        yield Item(label, path.name, OTHER, bytes, path=path, problem=UNREADABLE)
        return
    mtime = datetime.fromtimestamp(info.st_mtime)
    members = _zip_members(path) if head.startswith(b"PK") else None
    kind = _kind(path.name, head, members)
    item = Item(label, path.name, kind, path.read_bytes, mtime, path)
    if info.st_size > MAX_UNPACKED:
        item.problem = f"文件超过 {MAX_UNPACKED // 2**20} MB，不像是数据表或照片，未收取"
    if kind == ARCHIVE and not item.problem:
        yield from _unpack(path, label, [MAX_UNPACKED], 1)
        return
    if path.suffix.lower() in UNSUPPORTED_ARCHIVES and kind == OTHER:
        item.problem = "不能打开这种压缩包，请解压后收取其中的文件（或改用 .zip）"
    yield item


def _entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as its sender saw it (GBK names from Chinese Windows decoded)."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", "replace")
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def unsafe_entry(name: str, info: zipfile.ZipInfo) -> str:
    """Why an archive entry is refused ("" when it is safe to take)."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "是绝对路径，已拒绝"
    if ".." in parts:
        return "指向压缩包以外（路径中含 ..），已拒绝"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "是链接，不是文件，已拒绝"
    if info.flag_bits & 0x1:
        return "已加密（压缩包设置了密码），无法读取；请去掉密码后重新发送"
    return ""


def _unpack(source: Path | bytes, label: str, budget: list[int], depth: int) -> Iterator[Item]:
    """The entries of one archive; ``budget`` holds the bytes still allowed to unpack."""
    file = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        package = zipfile.ZipFile(file)
        infos = [i for i in package.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError):
        yield Item(label, label, ARCHIVE, bytes, problem="压缩包已损坏，无法打开")
        return
    total = sum(i.file_size for i in infos)
    if len(infos) > MAX_ENTRIES or total > budget[0]:
        too = f"有 {len(infos)} 个文件" if len(infos) > MAX_ENTRIES else "解压后过大"
        yield Item(
            label, label, ARCHIVE, bytes, problem=f"压缩包{too}，不像是学校报送的材料，已拒绝"
        )
        return
    budget[0] -= total
    with package:
        for info in infos:
            yield from _entry(package, info, label, budget, depth)


def _entry(
    package: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, budget: list[int], depth: int
) -> Iterator[Item]:
    name = _entry_name(info)
    base = name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    if name.startswith("__MACOSX/") or ignored(base):
        return
    where = f"{label} › {name}"
    mtime = _zip_time(info)
    problem = unsafe_entry(name, info)
    if problem:
        kind = PHOTO if PurePosixPath(base).suffix.lower() in IMAGE_SUFFIXES else OTHER
        yield Item(where, base, kind, bytes, mtime, container=label, problem=problem)
        return
    try:
        data = package.read(info)
    except Exception:  # zlib, CRC and size errors alike: the entry is damaged
        yield Item(where, base, OTHER, bytes, mtime, container=label, problem="已损坏，无法解压")
        return
    members = _zip_members(data) if data.startswith(b"PK") else None
    kind = _kind(base, data[:16], members)
    if kind == ARCHIVE:
        if depth >= MAX_DEPTH:
            yield Item(where, base, ARCHIVE, bytes, container=label, problem="压缩包套压缩包过深")
            return
        yield from _unpack(data, where, budget, depth + 1)
        return
    yield Item(where, base, kind, lambda: data, mtime, container=label)


def _zip_time(info: zipfile.ZipInfo) -> datetime | None:
    try:
        return datetime(*info.date_time)
    except ValueError:
        return None

"""Guards around reading a workbook: refuse what cannot be read safely, flag what hides data.

- :func:`sniff` looks at the bytes before they are read as a workbook: an empty file, a CSV or an old
  .xls renamed .xlsx, an encrypted workbook, a damaged zip, XML that declares entities
  (an "entity bomb"), a package that unpacks to hundreds of megabytes;
- :func:`oversized_sheets` reads each sheet's recorded size, before the full load,
  so that a 100,000-row sheet is refused in a moment instead of read for minutes;
- :func:`merged_range_at` and :func:`hidden_data` find merged ranges over the cells the
  reader uses and hidden rows or columns that still hold data.

Every message is Chinese and written for the school that sent the file.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import IO

from docxreport.workbook.cells import Sheet as Worksheet
from docxreport.workbook.cells import column_letter as get_column_letter
from docxreport.workbook.package import Package

MAX_ROWS, MAX_COLS = 5000, 200  # per sheet; the layout uses a few dozen rows and columns
MAX_UNPACKED = 200 * 2**20  # bytes of the whole package once unzipped
GUIDE_SHEET = "填表说明"  # written by docxreport.workbook.write, never read

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_PROLOG_LIMIT = 2**20  # bytes before the root element; real files have about 60

DAMAGED = "文件已损坏（内容不完整），请重新保存或重新发送"
NOT_A_WORKBOOK = (
    "文件已损坏，或不是 Excel 工作簿（压缩包中没有工作簿内容，可能是 Word 等其他文件改了扩展名）；"
    "请在 Excel/WPS 中另存为 .xlsx"
)
RENAMED_XLS = "这是旧版 .xls 文件改了扩展名，请在 Excel/WPS 中另存为 .xlsx"
OLD_XLS = (
    "这是旧版 Excel 工作簿（.xls），不能直接读取；请在 Excel/WPS 中另存为“Excel 工作簿（.xlsx）”"
)
ODS = (
    "这是 OpenDocument 表格（.ods，LibreOffice/WPS 的格式），不能直接读取；"
    "请在 Excel/WPS/LibreOffice 中另存为“Excel 工作簿（.xlsx）”"
)
UNSAFE_XML = (
    "文件中含有不安全或已损坏的 XML（带实体定义，Excel/WPS 不会这样保存），已拒绝读取；"
    "请在 Excel/WPS 中打开后另存为新的 .xlsx"
)


def sniff(data: bytes) -> str | None:
    """What is wrong with a workbook file's bytes before they are read as one, or ``None``."""
    head = data[:8]
    if not head:
        return "文件为空（0 字节）"
    if head.startswith(_OLE_MAGIC):
        if _ENCRYPTED in data:
            return "工作簿设置了打开密码（已加密），请取消密码后另存为 .xlsx"
        return RENAMED_XLS
    if not zipfile.is_zipfile(io.BytesIO(data)):
        if head.startswith(b"PK\x03\x04"):
            return DAMAGED
        return "不是 .xlsx 文件（可能是 CSV 或其他文件改了扩展名），请另存为 Excel 工作簿"
    return _inspect_package(data)


def _inspect_package(data: bytes) -> str | None:
    """Refuse a zip bomb or XML with a DTD, unpacking no more than each part's prolog."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
            if sum(p.file_size for p in parts) > MAX_UNPACKED:
                return f"文件解压后超过 {MAX_UNPACKED // 2**20} MB，不像是正常的数据表，已拒绝读取"
            if not any(p.filename.startswith("xl/") for p in parts):
                names = {p.filename for p in parts}
                if "mimetype" in names and b"opendocument.spreadsheet" in package.read("mimetype"):
                    return ODS
                return NOT_A_WORKBOOK
            for part in parts:
                if part.filename.endswith((".xml", ".rels")):
                    with package.open(part) as member:
                        if _declares_dtd(member):
                            return UNSAFE_XML
    except Exception:  # zipfile, zlib and CRC errors alike: the package is damaged
        return DAMAGED
    return None


def _declares_dtd(member: IO[bytes]) -> bool:
    """Whether an XML part declares a DTD (or its prolog is absurdly long).

    Reads the part until its root element starts; Excel, WPS and LibreOffice never write
    a DTD, and one with entities is how an "entity bomb" is made.
    """
    prolog = b""
    while len(prolog) < _PROLOG_LIMIT:
        chunk = member.read(65536)
        if not chunk:
            break
        prolog += chunk
        text = prolog
        if text.startswith((b"\xff\xfe", b"\xfe\xff")) or text[1:2] == b"\0":
            text = text.decode("utf-16", "ignore").encode("utf-8")
        text = re.sub(rb"<!--.*?-->", b"", text, flags=re.S)
        root = re.search(rb"<[A-Za-z_]", text)
        if root:
            return b"<!DOCTYPE" in text[: root.start()] or b"<!ENTITY" in text[: root.start()]
    return len(prolog) >= _PROLOG_LIMIT


def caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    """Whether ``exc`` or an exception it was raised from is a ``kind`` (openpyxl wraps them)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, kind):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def oversized_sheets(package: Package) -> list[tuple[str, str]]:
    """Sheets with more rows or columns than a data sheet can have: ``(sheet, message)``.

    Reads each sheet's recorded size (its ``dimension``) without loading the cells; a
    sheet without one is counted row by row, stopping just past the limit.
    """
    found = []
    for title in package.sheets:
        rows, cols = package.extent(title, MAX_ROWS, MAX_COLS)
        if rows > MAX_ROWS or cols > MAX_COLS:
            found.append((title, _too_big(rows, cols)))
    return found


def _too_big(rows: int, cols: int) -> str:
    size = f"{rows} 行" if rows > MAX_ROWS else f"{cols} 列"
    limit = f"{MAX_ROWS} 行" if rows > MAX_ROWS else f"{MAX_COLS} 列"
    return (
        f"工作表有 {size}，超过上限 {limit}，不像是本报告的数据表，已拒绝读取；"
        "请删除多余的行列（包括只设了格式、看似空白的行列）后保存"
    )


def merged_range_at(ws: Worksheet, coord: str) -> str | None:
    """The merged range (``D5:E5``) that covers cell ``coord``, or ``None``."""
    for merged in ws.merged_cells.ranges:
        if coord in merged:
            return merged.coord
    return None


def merged_message(rng: str) -> str:
    first = rng.split(":")[0]
    return (
        f"单元格 {rng} 被合并，合并后只有左上角 {first} 保留内容；请取消合并，在每个单元格分别填写"
    )


def hidden_data(ws: Worksheet) -> Iterator[tuple[str, str]]:
    """Hidden rows and columns that hold data: ``(first cell with data, message)``."""
    for r, dim in sorted(ws.row_dimensions.items()):
        if dim.hidden and r <= ws.max_row:
            cell = _first_filled(ws.iter_rows(min_row=r, max_row=r))
            if cell:
                yield cell, f"第 {r} 行已隐藏，但其中有数据（照常读取）；请取消隐藏后核对"
    for dim in ws.column_dimensions.values():
        if not dim.hidden or not dim.min:
            continue
        for c in range(dim.min, min(dim.max or dim.min, ws.max_column) + 1):
            cell = _first_filled(ws.iter_cols(min_col=c, max_col=c))
            if cell:
                letter = get_column_letter(c)
                yield cell, f"{letter} 列已隐藏，但其中有数据（照常读取）；请取消隐藏后核对"


def _first_filled(lines: Iterator[tuple]) -> str | None:
    for line in lines:
        for cell in line:
            if cell.value is not None and str(cell.value).strip():
                return cell.coordinate
    return None


def moved_header_hint(ws: Worksheet, header: str, home: str) -> str:
    """Where a header that belongs in ``home`` is now, if it sits nearby (a hint, or "")."""
    rows = ws.iter_rows(min_row=1, max_row=min(ws.max_row, 20), max_col=min(ws.max_column, 30))
    for row in rows:
        for cell in row:
            value = cell.value.strip() if isinstance(cell.value, str) else cell.value
            if value == header and cell.coordinate != home:
                return f"（“{header}”现在在 {cell.coordinate}，可能插入或删除了行列）"
    return ""


def missing_sheet(name: str, present: list[str], expected: frozenset[str]) -> str:
    """``缺少工作表“办学规模”``, with a hint when a sheet of an unknown name may be it renamed."""
    unknown = [s for s in present if s not in expected and s != GUIDE_SHEET]
    if not unknown:
        return f"缺少工作表“{name}”"
    listed = "、".join(f"“{s}”" for s in unknown)
    return f"缺少工作表“{name}”；工作簿中有未知的工作表{listed}，如果是改了名，请改回“{name}”"

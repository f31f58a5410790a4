"""A docxtpl template that prepares its Jinja source once, not once per report.

docxtpl renders a part by cleaning its XML into Jinja source (``patch_xml``, a few dozen
regular expressions over the whole body) and compiling that source. Both depend only on
the template's XML, so a build of many reports from one template does them once: the
results are kept, keyed by the XML itself, so an edited template is prepared afresh.
They are also kept between builds, in Jinja's bytecode cache (a folder in the system's
temporary folder that only the user may read and write): a build's worker processes then
compile nothing. The template file's bytes are kept per process (by path, size and
modification time).
"""

from __future__ import annotations

import hashlib
import io
import re
from contextlib import suppress
from functools import lru_cache
from pathlib import Path
from types import CodeType
from typing import Any

from docx import Document
from docx.oxml.ns import nsmap
from docx.oxml.parser import element_class_lookup
from docxtpl import DocxTemplate
from docxtpl import __version__ as docxtpl_version
from docxtpl.subdoc import Subdoc
from jinja2 import StrictUndefined, Template
from jinja2.bccache import Bucket, FileSystemBytecodeCache
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from markupsafe import Markup

from docxreport.atomic import write_atomically
from docxreport.errors import OutputError
from docxreport.render.tidy import CORE_NS
from docxreport.text import clean_text

# docxcompose (imported with docxtpl) binds python-docx's process-wide "cp" prefix to the
# custom-properties namespace, so a core property set afterwards is added a second time
# in that namespace (Word: "unreadable content"). The prefix is put back; docxtpl's
# subdocuments use docxcompose's own namespace table.
nsmap["cp"] = CORE_NS

_PARTS_KEPT = 16  # XML parts (body, headers, footers) of a few templates
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
# docxtpl's parser (it recovers from what it can), making python-docx's element classes
_PART_PARSER = etree.XMLParser(recover=True, huge_tree=True, resolve_entities=False)
_PART_PARSER.set_element_class_lookup(element_class_lookup)


def _finalize(value: Any) -> Any:
    """Strip XML-illegal characters from every printed string, keeping safe markup safe."""
    if hasattr(value, "__html__") and not isinstance(value, Markup):
        return Markup(clean_text(value.__html__()))  # a marked value prints its mark
    if isinstance(value, Markup):
        return Markup(clean_text(value))
    if isinstance(value, str):
        return clean_text(value)
    return value


def make_env() -> SandboxedEnvironment:
    """Sandboxed, strict (undefined names fail) and escaping every value."""
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True, finalize=_finalize)


@lru_cache(maxsize=1)
def shared_env() -> SandboxedEnvironment:
    """One environment per process, so that compiled templates can be reused."""
    return make_env()


@lru_cache(maxsize=_PARTS_KEPT)
def _patched(xml: str) -> str:
    """docxtpl's Jinja source of a part's XML, kept beside the compiled templates."""
    cache = _bytecode_cache()
    digest = hashlib.sha256(f"docxtpl {docxtpl_version}\n{xml}".encode()).hexdigest()
    kept = Path(cache.directory) / f"__docxreport_{digest}.xml" if cache is not None else None
    with suppress(OSError, UnicodeDecodeError):
        if kept is not None:
            return kept.read_text("utf-8")
    patched = DocxTemplate.patch_xml(None, xml)  # type: ignore[arg-type]  # uses no state
    if kept is not None:
        with suppress(OSError, OutputError):
            write_atomically(lambda tmp: tmp.write_text(patched, "utf-8"), kept, kept.parent)
    return patched


@lru_cache(maxsize=_PARTS_KEPT)
def _compiled(env: SandboxedEnvironment, src_xml: str) -> Template:
    """``env.from_string`` of docxtpl's source, its code kept in Jinja's bytecode cache."""
    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
    return env.template_class.from_code(env, _code(env, source), env.make_globals(None), None)


def _code(env: SandboxedEnvironment, source: str) -> CodeType:
    """The compiled code of ``source``; a template's source is the same from build to build,
    so its code is read back from the cache instead of being compiled again."""
    setting = f"{type(env).__qualname__} {env.autoescape} {env.finalize is not None}"
    digest = hashlib.sha256(f"{setting}\n{source}".encode()).hexdigest()
    bucket = Bucket(env, digest, digest)
    cache = _bytecode_cache()
    if cache is not None:
        try:
            cache.load_bytecode(bucket)
        except Exception:  # a damaged entry: compile afresh
            bucket.reset()
    if bucket.code is None:
        bucket.code = env.compile(source)
        if cache is not None:
            with suppress(OSError):
                cache.dump_bytecode(bucket)
    return bucket.code


@lru_cache(maxsize=1)
def _bytecode_cache() -> FileSystemBytecodeCache | None:
    """Jinja's file cache, in its own folder that only this user may read and write."""
    try:
        return FileSystemBytecodeCache(pattern="__docxreport_%s.cache")
    except (OSError, RuntimeError):
        return None


# the document properties docxtpl renders as templates
_RENDERED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")


@lru_cache(maxsize=64)
def _text_template(env: SandboxedEnvironment, text: str) -> Template:
    return env.from_string(text)


@lru_cache(maxsize=8)
def _file_bytes(path: str, size: int, mtime_ns: int) -> bytes:
    return Path(path).read_bytes()


def template_bytes(path: Path) -> bytes:
    """The bytes of a template file, read once while it is unchanged."""
    stat = path.stat()
    return _file_bytes(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=1)
def _blank() -> Any:
    return Document()


def scratch_subdoc(tpl: DocxTemplate) -> Subdoc:
    """An empty subdocument of ``tpl``, to write blocks into and take them out as XML.

    docxtpl opens a whole default document for every subdocument; this one's document is
    opened once per process and handed to each template in turn, emptied. Its styles,
    images and charts are the template's (its part is the template's main part).
    """
    blank = _blank()
    body = blank.element.body
    for child in [c for c in body if c is not body.sectPr]:
        body.remove(child)
    blank._part = tpl.docx._part
    return _Scratch(tpl, blank)


class _Scratch(Subdoc):
    """A docxtpl subdocument around a document already open."""

    def __init__(self, tpl: DocxTemplate, document: Any) -> None:
        self.tpl, self.docx, self.subdocx = tpl, tpl.docx, document


class CachedTemplate(DocxTemplate):
    """A :class:`DocxTemplate` whose patched and compiled Jinja source is kept per process,
    and whose filled body is parsed together with the rest of its document part.

    docxtpl parses the filled body on its own and moves it into the template's document;
    lxml then re-homes node after node, at a cost that grows faster than the body (5.6 s
    of a 400-school city report, against 0.6 s to parse its whole document part at once).
    """

    def __init__(self, path: Path) -> None:
        super().__init__(io.BytesIO(template_bytes(Path(path))))
        self._around: tuple[str, str] | None = None  # the document part around its body
        self.has_braces: bool | None = None  # whether the filled body holds a "{" at all

    def get_xml(self) -> str:
        whole = self.xml_to_string(self.docx.element)
        start, end = whole.find("<w:body"), whole.rfind("</w:body>")
        if start < 0 or end < 0:  # the body not written as w:body: docxtpl's own way
            self._around = None
            return super().get_xml()
        end += len("</w:body>")
        self._around = (whole[:start], whole[end:])
        return whole[start:end]

    def fix_tables(self, xml: str) -> Any:
        if self._around is None:
            return super().fix_tables(xml)
        self.has_braces = "{" in xml  # a leftover tag, or data that looks like one
        for text in (self._around[0], xml, self._around[1]):  # fed: no joined copy of the body
            _PART_PARSER.feed(text)
        root = _PART_PARSER.close()
        fit_table_grids(root)
        return root

    def render_properties(self, context: Any, jinja_env: Any = None) -> None:
        if jinja_env is None:
            return super().render_properties(context, jinja_env)
        core = self.docx.core_properties
        for name in _RENDERED_PROPERTIES:  # docxtpl's, each text compiled once per process
            setattr(core, name, _text_template(jinja_env, getattr(core, name)).render(context))

    def fix_docpr_ids(self, tree: Any) -> None:
        for doc_pr in tree.iter(_DOC_PR):  # docxtpl's renumbering, without its xpath call
            self.docx_ids_index += 1
            doc_pr.attrib["id"] = str(self.docx_ids_index)

    def map_tree(self, tree: Any) -> None:
        if self._around is None:
            return super().map_tree(tree)
        part = self.docx.part
        part._element = tree  # the filled document part in place of the template's
        self.docx = part.document

    def patch_xml(self, src_xml: str) -> str:
        return _patched(src_xml)

    def render_xml_part(self, src_xml: str, part: Any, context: Any, jinja_env: Any = None) -> str:
        if jinja_env is None:
            return super().render_xml_part(src_xml, part, context, jinja_env)
        self.current_rendering_part = part
        dst_xml = _compiled(jinja_env, src_xml).render(context)
        # docxtpl's own post-processing, unchanged
        dst_xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", dst_xml)
        dst_xml = (
            dst_xml.replace("{_{", "{{")
            .replace("}_}", "}}")
            .replace("{_%", "{%")
            .replace("%_}", "%}")
        )
        if not any(ch in dst_xml for ch in "\t\a\n\f"):
            return dst_xml  # no tab, line or page break in any text: nothing to resolve
        return self.resolve_listing(dst_xml)


def fit_table_grids(root: Any) -> None:
    """Each table's column grid fitted to its widest row, keeping the table's width.

    docxtpl's ``fix_tables``, on a tree already parsed: a ``{%tc for %}`` loop in a
    template makes rows of more (or fewer) cells than the grid declared.
    """
    for tbl in root.iter(f"{_W}tbl"):
        if _fits(tbl):
            continue
        grid = tbl.find(f"{_W}tblGrid")
        if grid is None:
            continue
        cols = grid.findall(f"{_W}gridCol")
        widest = max((len(r.findall(f"{_W}tc")) for r in tbl.iter(f"{_W}tr")), default=0)
        if widest > len(cols):
            width = sum(float(c.get(f"{_W}w")) for c in cols if c.get(f"{_W}w") is not None)
            if width > 0:
                old, new = width / len(cols), width / widest
                for c in cols:
                    c.set(f"{_W}w", str(int(float(c.get(f"{_W}w")) * new / old)))
                for _ in range(widest - len(cols)):
                    etree.SubElement(grid, f"{_W}gridCol", {f"{_W}w": str(int(new))})
            cols = grid.findall(f"{_W}gridCol")
        spanned = max((_spanned(r) for r in tbl.iter(f"{_W}tr")), default=0)
        extra = len(cols) - spanned
        if extra > 0:
            removed = 0.0
            for c in cols[-extra:]:
                removed += float(c.get(f"{_W}w"))
                grid.remove(c)
            left = grid.findall(f"{_W}gridCol")
            share = int(removed / len(left)) if left else 0
            for c in left:
                c.set(f"{_W}w", str(int(float(c.get(f"{_W}w")) + share)))


_NS = {"w": _W[1:-1]}
_COLUMNS = etree.XPath("count(w:tblGrid/w:gridCol)", namespaces=_NS)
_ROW_WIDER = etree.XPath("boolean(.//w:tr[count(w:tc) > $n])", namespaces=_NS)
_ROW_FULL = etree.XPath(
    "boolean(.//w:tr[sum(w:tc/w:tcPr/w:gridSpan/@w:val)"
    " + count(w:tc[not(w:tcPr/w:gridSpan)]) >= $n])",
    namespaces=_NS,
)


def _fits(tbl: Any) -> bool:
    """Whether a table's grid already fits (no row has more cells than the grid has columns,
    and a row spans them all), as most do: asked of libxml2 rather than cell by cell."""
    columns = _COLUMNS(tbl)
    return not _ROW_WIDER(tbl, n=columns) and (columns == 0 or _ROW_FULL(tbl, n=columns))


def _spanned(row: Any) -> int:
    """The grid columns a row's cells take, counting each cell's span."""
    total = 0
    for tc in row.findall(f"{_W}tc"):
        span = tc.find(f"{_W}tcPr/{_W}gridSpan")
        total += int(span.get(f"{_W}val")) if span is not None else 1
    return total

"""A docxtpl template that prepares its Jinja source once per process, not once per report.

docxtpl renders a part by cleaning its XML into Jinja source (``patch_xml``, a few dozen
regular expressions over the whole body) and compiling that source. Both depend only on
the template's XML, so a build of many reports from one template does them once: the
results are kept, keyed by the XML itself, so an edited template is prepared afresh.
The template file's bytes are kept the same way (by path, size and modification time).
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from docxreport.text import clean_text

_PARTS_KEPT = 16  # XML parts (body, headers, footers) of a few templates


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
    return DocxTemplate.patch_xml(None, xml)  # type: ignore[arg-type]  # uses no state


@lru_cache(maxsize=_PARTS_KEPT)
def _compiled(env: SandboxedEnvironment, src_xml: str) -> Template:
    return env.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml))


@lru_cache(maxsize=8)
def _file_bytes(path: str, size: int, mtime_ns: int) -> bytes:
    return Path(path).read_bytes()


def template_bytes(path: Path) -> bytes:
    """The bytes of a template file, read once while it is unchanged."""
    stat = path.stat()
    return _file_bytes(str(path), stat.st_size, stat.st_mtime_ns)


class CachedTemplate(DocxTemplate):
    """A :class:`DocxTemplate` whose patched and compiled Jinja source is kept per process."""

    def __init__(self, path: Path) -> None:
        super().__init__(io.BytesIO(template_bytes(Path(path))))

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

"""Check the Word templates before a build: Jinja syntax, unknown names, split tags.

Each template is read with python-docx (docxtpl stays in :mod:`docxreport.render`). Every
paragraph's text is taken as Word shows it; docxtpl's markers (``{%p``, ``{{r``, ``{%tr``…)
and smart quotes inside tags are normalised the way docxtpl does, and each part (body,
headers, footers) is parsed by Jinja as one source, one line per paragraph, so that a
Jinja line number is a paragraph number.

Problems are located issues, ``templates/city.docx › 正文!段落 12``, whose message quotes
the paragraph. Checked:

- Jinja syntax (with the paragraph of the unclosed block when a block is never closed);
- a tag left open at the end of its paragraph (docxtpl cannot render it);
- names the data model does not provide (the names come from
  :class:`docxreport.render.context.Context` on an empty view, so they cannot go stale), and attributes
  ``region.x`` / ``school.x`` that do not exist;
- ``v("key")`` / ``change("key")`` with a key not in the catalog, ``table("id")`` not in
  the catalog, ``toc(kind)`` of an unknown kind, ``chart(...)`` with an unknown table,
  indicator, kind or argument;
- school names the registry lacks (:mod:`.templateschools`), the layout, styles and page
  fields a build relies on (:mod:`.templatestructure`), placeholder paragraphs still to be
  written (:mod:`.placeholders`);
- a tag that Word split over several runs: a **warning**. docxtpl joins the pieces, so the
  report comes out right, but the value takes the first piece's formatting and the tag
  breaks easily when someone edits it; Word users take such a tag as a warning sign.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from pathlib import Path

from jinja2 import TemplateSyntaxError, meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from docxreport.catalog import Catalog
from docxreport.checks.placeholders import placeholder_issues
from docxreport.checks.sentences import template_sentence_issues
from docxreport.checks.templateparts import Paragraph, Part, open_template, read_parts
from docxreport.checks.templateschools import Walked, check_school_names, registry_names
from docxreport.checks.templatestructure import check_structure
from docxreport.errors import TemplateError
from docxreport.issues import Issue, error, warning
from docxreport.layout import CITY_TEMPLATE, SCHOOL_TEMPLATE, SCHOOL_TEMPLATE_DIR
from docxreport.model import PERIODS, CityData, Dataset, Location, School
from docxreport.render.numbering import TOC_KINDS
from docxreport.view.charts import parse_spec

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
_MARK = re.compile(r"\{[{%#]|[}%#]\}")
_DOCXTPL_PREFIX = re.compile(r"\{([{%#])(?:p|tr|tc|r) ")
_PARAGRAPH_TAG = re.compile(r"\{%p .*?%\}|\{\{p .*?\}\}|\{#p .*?#\}")
_DOCXTPL_CELL_TAGS = (
    (re.compile(r"\{%\s*(?:colspan|cellbg)\s+(.*?)\s*%\}"), r"{{ \1 }}"),
    (re.compile(r"\{%\s*[vh]m\s*%\}"), ""),
)
_SMART_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_BLOCKS = ("for", "if", "macro", "call", "filter", "with", "block", "raw", "autoescape")
_UNKNOWN = object()  # an argument the template computes
_KEYED = ("v", "has", "known", "change")  # functions whose first argument is an indicator
_PERIODED = ("v", "has", "known")  # ... and whose second is a period
_BODY_ONLY = ("table", "chart", "figures", "cases", "toc")  # blocks: not in a header or footer


# -- entry points ------------------------------------------------------------------------------


def template_files(folder: Path) -> list[Path]:
    """The .docx files in ``folder``, without Word/WPS lock files and hidden temporaries."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() == ".docx" and not p.name.startswith(("~$", "."))
    )


def check_templates(
    folder: Path, cat: Catalog, registry: Sequence[School] | None = None
) -> list[Issue]:
    """Check every template in ``folder``; locations read ``<folder name>/<file>``.

    With the ``registry`` (the inputs are at hand), school names are checked against it.
    """
    issues: list[Issue] = []
    names = None if registry is None else registry_names(registry)
    for path in template_files(folder):
        issues += check_template(path, f"{folder.resolve().name}/{path.name}", cat, names)
    own = folder / SCHOOL_TEMPLATE_DIR  # the schools' own templates (from ``adopt``)
    for path in template_files(own) if own.is_dir() else []:
        rel = f"{folder.resolve().name}/{SCHOOL_TEMPLATE_DIR}/{path.name}"
        issues += check_template(path, rel, cat, names, SCHOOL_TEMPLATE)
    return issues


def check_template(
    path: Path,
    rel: str,
    cat: Catalog,
    registry: frozenset[str] | None = None,
    kind: str = "",
) -> list[Issue]:
    """Check one template; ``rel`` is how its location is shown, ``kind`` the template it
    stands for (city.docx or school.docx; by default its own name)."""
    document, problem = open_template(path)
    if document is None:
        return [error(Location(rel), problem or "")]
    kind = kind or path.name
    known = context_names(kind, cat)
    issues: list[Issue] = []
    for part in read_parts(document):
        issues += _check_part(rel, part, cat, known, kind, registry)
    issues += check_structure(document, rel)
    issues += placeholder_issues(document, rel)
    if kind in (CITY_TEMPLATE, SCHOOL_TEMPLATE):
        issues += template_sentence_issues(path, rel, cat, kind)
    return issues


# -- the names a template may use ------------------------------------------------------------------


@cache
def _contexts(cat: Catalog) -> dict[str, dict]:
    """The city and the school context a report template sees, built on an empty dataset."""
    from docxreport.render.context import Context
    from docxreport.view.report import make_view

    school = School("学校", "学校")
    data = Dataset(year=2000, city=CityData(file="", registry=[school]), schools=[])
    city = Context(make_view(data, cat), None).names()
    own = Context(make_view(data, cat, school.short), None).names()
    return {CITY_TEMPLATE: city, SCHOOL_TEMPLATE: own}


def context_names(template: str, cat: Catalog) -> dict:
    """Name → sample value a template may use: the school names only in school templates."""
    contexts = _contexts(cat)
    if template in contexts:
        return contexts[template]
    return {**contexts[CITY_TEMPLATE], **contexts[SCHOOL_TEMPLATE]}


# -- checks ----------------------------------------------------------------------------------------


@dataclass
class _Checker:
    rel: str
    part: Part
    cat: Catalog
    known: dict
    template: str
    registry: frozenset[str] | None = None

    def issue(
        self, make, line: int, message: str, span: tuple[int, int] | str | None = None
    ) -> Issue:
        """An issue at paragraph ``line``; ``span`` (or a text to find) centres the excerpt."""
        para = self.part.paragraphs[min(max(line, 1), len(self.part.paragraphs)) - 1]
        if isinstance(span, str):
            at = para.text.find(span)
            span = (at, at + len(span)) if at >= 0 else None
        loc = Location(self.rel, self.part.name, f"段落 {para.number}")
        return make(loc, f"{message}。所在段落：“{excerpt(para.text, span)}”")


def _check_part(
    rel: str,
    part: Part,
    cat: Catalog,
    known: dict,
    template: str,
    registry: frozenset[str] | None = None,
) -> list[Issue]:
    if not any(_MARK.search(p.text) for p in part.paragraphs):
        return []
    check = _Checker(rel, part, cat, known, template, registry)
    issues = list(_split_tags(check)) + list(_unclosed_tags(check))
    if any(i.is_error for i in issues):
        return issues  # Jinja would only repeat the open tag less clearly
    source = "\n".join(jinja_line(p.text) for p in part.paragraphs)
    try:
        ast = Walked(SandboxedEnvironment().parse(source))
    except TemplateSyntaxError as exc:
        return [*issues, _syntax_issue(check, exc)]
    return (
        issues
        + list(_names(check, ast))
        + list(_calls(check, ast))
        + list(_comparisons(check, ast))
        + list(check_school_names(ast, check.registry, check.issue))
    )


def jinja_line(text: str) -> str:
    """A paragraph's text as docxtpl hands it to Jinja."""
    tag = _PARAGRAPH_TAG.search(text)
    if tag:
        text = tag.group(0)  # docxtpl replaces the whole paragraph with its {%p %} tag
    text = _TAG.sub(lambda m: m.group(0).translate(_SMART_QUOTES), text)
    text = _DOCXTPL_PREFIX.sub(r"{\1 ", text)
    for pattern, repl in _DOCXTPL_CELL_TAGS:
        text = pattern.sub(repl, text)
    return text


def _split_tags(check: _Checker) -> Iterator[Issue]:
    for p in check.part.paragraphs:
        for m in _TAG.finditer(p.text):
            pieces = len(set(p.runs[m.start() : m.end()]))
            if pieces > 1:
                yield check.issue(
                    warning,
                    p.number,
                    f"标记“{m.group(0)}”被 Word 拆成了 {pieces} 段格式不同的文字；生成时仍能替换，"
                    "但格式取第一段，以后修改也容易弄坏。建议删除后一次输完整个标记",
                    m.span(),
                )


def _unclosed_tags(check: _Checker) -> Iterator[Issue]:
    """A tag must open and close in one paragraph; a stray closer is printed as it is."""
    closer = {"{{": "}}", "{%": "%}", "{#": "#}"}
    for p in check.part.paragraphs:
        opened: re.Match | None = None
        for m in _MARK.finditer(p.text):
            mark = m.group(0)
            if mark in closer:
                if opened is None:
                    opened = m
                    continue
                yield _open_tag(check, p, opened, closer[opened.group(0)], m.start())
                opened = m
            elif opened is not None:
                opened = None
            elif mark in ("}}", "%}"):
                yield check.issue(
                    warning,
                    p.number,
                    f"“{mark}”前面没有对应的“{'{{' if mark == '}}' else '{%'}”，会原样印在报告中",
                    m.span(),
                )
        if opened is not None:
            yield _open_tag(check, p, opened, closer[opened.group(0)], len(p.text))


def _open_tag(check: _Checker, p: Paragraph, m: re.Match, close: str, end: int) -> Issue:
    shown = p.text[m.start() : end].strip()
    return check.issue(
        error,
        p.number,
        f"标记“{shown}”没有在本段落中结束（缺少“{close}”）；一个标记必须写在同一段落内",
        (m.start(), end),
    )


def _syntax_issue(check: _Checker, exc: TemplateSyntaxError) -> Issue:
    message = exc.message or ""
    line = exc.lineno or 1
    block = re.search(r"innermost block that needs to be closed is '(\w+)'", message)
    if block:
        line = _unclosed_block_line(check.part, block[1]) or line
    return check.issue(
        error, line, f"模板语法错误：{_syntax_words(message)}（Jinja 原文：{message}）"
    )


def _unclosed_block_line(part: Part, name: str) -> int | None:
    """The paragraph opening the innermost ``{% name %}`` block never closed."""
    stack: list[tuple[str, int]] = []
    for line, p in enumerate(part.paragraphs, start=1):
        for m in re.finditer(r"\{%-?\s*(\w+)", jinja_line(p.text)):
            word = m[1]
            if word in _BLOCKS:
                stack.append((word, line))
            elif word.startswith("end") and stack and stack[-1][0] == word[3:]:
                stack.pop()
    opened = [line for word, line in stack if word == name]
    return opened[-1] if opened else None


def _syntax_words(message: str) -> str:
    """Jinja's English syntax errors in a few Chinese words."""
    if m := re.match(r"Encountered unknown tag '(\w+)'", message):
        tag = m[1]
        if tag.startswith("end"):
            return f"“{{% {tag} %}}”前面没有对应的“{{% {tag[3:]} %}}”"
        return f"未知的标记“{{% {tag} %}}”"
    if m := re.search(r"innermost block that needs to be closed is '(\w+)'", message):
        return f"“{{% {m[1]} %}}”缺少对应的“{{% end{m[1]} %}}”"
    if m := re.match(r"unexpected char '(.+?)'", message):
        return f"标记中有不能使用的字符“{m[1]}”，可能是全角符号，请改为半角"
    if m := re.match(r"unexpected '(.+?)', expected '(.+?)'", message):
        return f"此处应为“{m[2]}”，却是“{m[1]}”，括号或引号可能不配对"
    if m := re.match(r"unexpected '(.+?)'", message):
        return f"多余的“{m[1]}”，括号或引号可能不配对"
    if m := re.match(r"expected token '(.+?)', got '(.+?)'", message):
        return f"“{m[2]}”处有错，可能缺少运算符、逗号、括号或引号"
    return "无法解析"


def _names(check: _Checker, ast: Walked) -> Iterator[Issue]:
    unknown = meta.find_undeclared_variables(ast.ast) - set(check.known)
    declared = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
    seen: set[tuple[str, int]] = set()
    for node in ast.find_all(nodes.Name):
        if node.ctx != "load" or node.name not in unknown or (node.name, node.lineno) in seen:
            continue
        seen.add((node.name, node.lineno))
        yield check.issue(error, node.lineno, _unknown_name(node.name, check), node.name)
    for node in ast.find_all(nodes.Getattr):
        base = node.node
        if not isinstance(base, nodes.Name) or base.name in declared:
            continue
        sample = check.known.get(base.name)
        if is_dataclass(sample) and not hasattr(sample, node.attr):
            attrs = "、".join(f.name for f in fields(sample))
            yield check.issue(
                error,
                node.lineno,
                f"“{base.name}.{node.attr}”：{base.name} 没有“{node.attr}”这一项（可用：{attrs}）",
                node.attr,
            )


def _unknown_name(name: str, check: _Checker) -> str:
    contexts = _contexts(check.cat)
    school_only = set(contexts[SCHOOL_TEMPLATE]) - set(contexts[CITY_TEMPLATE])
    if name in school_only and check.template == CITY_TEMPLATE:
        return f"占位符中的“{name}”只能用在学校报告模板（{SCHOOL_TEMPLATE}）中"
    return f"占位符中的“{name}”不是可用的数据名称{_guess(name, check.known)}" + (
        f"（可用：{'、'.join(sorted(check.known))}）"
    )


def _guess(name: str, choices) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f"，是否应为“{close[0]}”" if close else ""


def _calls(check: _Checker, ast: Walked) -> Iterator[Issue]:
    cat = check.cat
    tables = [t.id for t in cat.tables]
    for call in ast.find_all(nodes.Call):
        if not isinstance(call.node, nodes.Name) or call.node.name not in check.known:
            continue
        name = call.node.name
        if name in _BODY_ONLY and check.part.name != "正文":
            problem = (
                f"{check.part.name} 中不能使用 {name}()：表格、图表、图片、案例和目录只能放在正文中"
            )
            yield check.issue(error, call.lineno, problem, f"{name}(")
            continue
        if name == "chart":
            problem = _chart_problem(call, cat)
            if problem:
                yield check.issue(error, call.lineno, problem, "chart(")
            continue
        args = [a.value if isinstance(a, nodes.Const) else None for a in call.args]
        first = args[0] if args else None
        if not isinstance(first, str):
            continue
        problem = None
        if name in _KEYED and not cat.has(first):
            keys = [i.key for i in cat.indicators]
            problem = f"指标目录中没有指标“{first}”{_guess(first, keys)}"
        elif name in _PERIODED and len(args) > 1 and args[1] is not None and args[1] not in PERIODS:
            problem = f'{name}() 的第二项应为 "prev"（上年）或 "curr"（本年），实际为“{args[1]}”'
        elif name == "table" and first not in tables:
            problem = f"指标目录中没有表格“{first}”（可用：{'、'.join(tables)}）"
        elif name == "toc" and first not in TOC_KINDS:
            problem = f"未知的目录类型“{first}”（应为 {'、'.join(TOC_KINDS)} 之一）"
        if problem:
            yield check.issue(error, call.lineno, problem, first)


def _constant(node: nodes.Node) -> object:
    """A literal argument's value (a list of literals too); ``_UNKNOWN`` otherwise."""
    if isinstance(node, nodes.Const):
        return node.value
    if isinstance(node, nodes.List | nodes.Tuple):
        items = [_constant(item) for item in node.items]
        return _UNKNOWN if _UNKNOWN in items else items
    return _UNKNOWN


def _chart_problem(call: nodes.Call, cat: Catalog) -> str | None:
    """What is wrong with a ``chart(...)`` call written with literal arguments."""
    args = [_constant(a) for a in call.args]
    kwargs = {k.key: _constant(k.value) for k in call.kwargs}
    allowed = {"kind", "by", "period", "title"}
    if unknown := sorted(set(kwargs) - allowed):
        return f"chart() 没有参数“{unknown[0]}”（可用：{'、'.join(sorted(allowed))}）"
    if not args:
        return "chart() 需要表号或指标"
    if _UNKNOWN in args or _UNKNOWN in kwargs.values():
        return None  # computed in the template: checked when the report is built
    try:
        parse_spec(cat, *args, **kwargs)  # type: ignore[arg-type]
    except TemplateError as exc:
        return str(exc)
    return None


def _printed_text(node: nodes.Node) -> str | None:
    """``v(...)`` or ``change(...).pct``/``.abs`` inside ``node``: a printed figure's text."""
    for call in node.find_all(nodes.Call) if not isinstance(node, nodes.Call) else [node]:
        if isinstance(call.node, nodes.Name) and call.node.name == "v":
            return "v(…)"
    for attr in [node, *node.find_all(nodes.Getattr)]:
        if isinstance(attr, nodes.Getattr) and attr.attr in ("pct", "abs", "word"):
            return f"….{attr.attr}"
    return None


def _comparisons(check: _Checker, ast: Walked) -> Iterator[Issue]:
    """A printed figure compared as text: the answer would change with its format."""
    for compare in ast.find_all(nodes.Compare):
        operands = [compare.expr, *(op.expr for op in compare.ops)]
        found = next((t for t in map(_printed_text, operands) if t), None)
        if found:
            yield check.issue(
                error,
                compare.lineno,
                f"条件中比较了印出的数字文字（{found}）：数字格式一变，结果就会变。"
                '请改用 has("指标")（有数且不为 0）或 known("指标")（有数），'
                "与上年比较用 change(…).known / .flat",
                found.strip("…()"),
            )


def excerpt(text: str, span: tuple[int, int] | None = None, width: int = 80) -> str:
    """The paragraph text, shortened around ``span`` when it is long."""
    if len(text) <= width:
        return text.strip()
    start, end = span or (0, 0)
    left = max(0, min(start - 20, len(text) - width))
    right = max(left + width, min(len(text), end + 10))
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")

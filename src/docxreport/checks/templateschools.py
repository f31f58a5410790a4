"""Template check: every school a template names must be in the registry.

A template names a school as the second argument of ``table("1-1", …)``, either
literally or through a name it set (``{% set major_school = "杭后职教" %}``), or
compares ``school.short``/``school.full``/``majors_school`` with a literal name.
A name the registry lacks makes the build fail, so it is an error here, located
at the paragraph that holds the name (the ``{% set %}`` line, not the table's).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jinja2 import nodes

from docxreport.issues import Issue, error
from docxreport.model import School

SCHOOL_ATTRS = ("short", "full")
IssueAt = Callable[..., Issue]  # (make, paragraph, message, excerpt text) → Issue


class Walked:
    """A parsed template walked once: :meth:`find_all` answers from that walk, in the
    same order as Jinja's (each check would otherwise walk the whole tree again)."""

    def __init__(self, ast: nodes.Template) -> None:
        self.ast = ast
        self._nodes = list(ast.find_all(nodes.Node))

    def find_all(self, kind: type[nodes.Node]) -> Iterator[Any]:
        return (node for node in self._nodes if isinstance(node, kind))


def registry_names(registry: Iterable[School]) -> frozenset[str]:
    """Every name a registered school goes by: short, full and aliases."""
    return frozenset(name for school in registry for name in school.names())


def _assigned(ast: Walked) -> dict[str, tuple[str, int]]:
    """Names set to a literal text: name → (text, paragraph)."""
    out: dict[str, tuple[str, int]] = {}
    for node in ast.find_all(nodes.Assign):
        target, value = node.target, node.node
        literal = isinstance(value, nodes.Const) and isinstance(value.value, str)
        if isinstance(target, nodes.Name) and literal:
            out.setdefault(target.name, (value.value, node.lineno))
    return out


def _names_a_school(node: nodes.Node) -> bool:
    if isinstance(node, nodes.Name):
        return node.name == "majors_school"
    return (
        isinstance(node, nodes.Getattr)
        and isinstance(node.node, nodes.Name)
        and node.node.name in ("school", "majors_school")
        and node.attr in SCHOOL_ATTRS
    )


def _school_texts(ast: Walked) -> Iterator[tuple[str, int, str]]:
    """(name, paragraph, how) for every literal school name the template uses."""
    assigned = _assigned(ast)
    for call in ast.find_all(nodes.Call):
        is_table = isinstance(call.node, nodes.Name) and call.node.name == "table"
        if not is_table or len(call.args) < 2:
            continue
        arg = call.args[1]
        if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
            yield arg.value, call.lineno, "table() 中的"
        elif isinstance(arg, nodes.Name) and arg.name in assigned:
            text, line = assigned[arg.name]
            yield text, line, f"由 {{% set {arg.name} %}} 设定、第 {call.lineno} 段 table() 使用的"
    for compare in ast.find_all(nodes.Compare):
        operands = [compare.expr, *(op.expr for op in compare.ops)]
        if not any(_names_a_school(o) for o in operands):
            continue
        for o in operands:
            if isinstance(o, nodes.Const) and isinstance(o.value, str):
                yield o.value, compare.lineno, "条件中比较的"


def check_school_names(
    ast: Walked, registry: frozenset[str] | None, issue: IssueAt
) -> Iterator[Issue]:
    """An error for each school name the registry lacks; nothing without a registry."""
    if registry is None:
        return
    for name, line, how in _school_texts(ast):
        if name.strip() in registry:
            continue
        yield issue(
            error,
            line,
            f"{how}学校“{name}”不在学校名册中：生成时会失败。"
            "请改用名册中的学校，或用数据中的名称（如 majors_school、school.short）",
            name,
        )

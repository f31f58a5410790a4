"""The state part: what each mark of a report stands for, kept inside the .docx.

A built report carries a custom XML part (``customXml/item…xml``, root element in
the ``urn:docxreport:marks:1`` namespace) listing the report (which one, which year,
which template) and, for every bookmark of ours, what it stands for (indicator, period,
table, block…), the text it printed and where it stood. Word keeps custom XML parts,
and LibreOffice keeps this one on a round trip (it renumbers the part). So a report
can be refreshed or adopted after it was e-mailed, renamed or moved out of ``out/``.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field

from lxml import etree

from docxreport.render.marks import Mark

NS = "urn:docxreport:marks:1"
ITEM = "/customXml/item9001.xml"
PROPS = "/customXml/itemProps9001.xml"
ITEM_ID = "{5B0E2B8E-6F4D-4C39-9D1A-3E2D7A1F0001}"
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True)
_FIELDS = ("kind", "key", "part", "school", "printed", "where", "cells", "before")


@dataclass
class State:
    """One report's marks and what they stand for."""

    report: str  # 全市报告, or the school's short name
    school: str  # the school's short name; "" for the city report
    year: int
    template: str  # the template's file name
    marks: list[Mark] = field(default_factory=list)

    def to_xml(self) -> bytes:
        root = etree.Element(f"{{{NS}}}docxreport", nsmap={None: NS})
        root.set("report", self.report)
        root.set("school", self.school)
        root.set("year", str(self.year))
        root.set("template", self.template)
        for mark in self.marks:
            el = etree.SubElement(root, f"{{{NS}}}mark", name=mark.name)
            for name in _FIELDS:
                value = getattr(mark, name)
                if value:
                    el.set(name, value)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    @classmethod
    def from_xml(cls, blob: bytes) -> State | None:
        try:
            root = etree.fromstring(blob, _SAFE)
        except etree.XMLSyntaxError:
            return None
        if root.tag != f"{{{NS}}}docxreport":
            return None
        marks = [
            Mark(el.get("name", ""), **{name: el.get(name, "") for name in _FIELDS})
            for el in root.iter(f"{{{NS}}}mark")
        ]
        try:
            year = int(root.get("year", "0"))
        except ValueError:
            year = 0
        return cls(
            root.get("report", ""), root.get("school", ""), year, root.get("template", ""), marks
        )


def props_xml() -> bytes:
    ds = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
    root = etree.Element(f"{{{ds}}}datastoreItem", nsmap={"ds": ds})
    root.set(f"{{{ds}}}itemID", ITEM_ID)
    refs = etree.SubElement(root, f"{{{ds}}}schemaRefs")
    etree.SubElement(refs, f"{{{ds}}}schemaRef").set(f"{{{ds}}}uri", NS)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def attach(document: object, state: State) -> None:
    """Add the state part to a python-docx ``document`` (before it is saved)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    main = document.part  # type: ignore[attr-defined]
    package = main.package
    item = Part(PackURI(ITEM), "application/xml", state.to_xml(), package)
    props = Part(
        PackURI(PROPS),
        "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
        props_xml(),
        package,
    )
    item.relate_to(props, RT.CUSTOM_XML_PROPS)
    main.relate_to(item, RT.CUSTOM_XML)


def read_state(package: zipfile.ZipFile) -> tuple[str, State] | None:
    """The state part of an open .docx (its name in the zip, the state); None without one."""
    for name in package.namelist():
        if name.startswith("customXml/") and name.endswith(".xml") and "/_rels/" not in name:
            blob = package.read(name)
            if NS.encode() not in blob:
                continue
            state = State.from_xml(blob)
            if state is not None:
                return name, state
    return None

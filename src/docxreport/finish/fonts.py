"""Which typeface prints for each font a report asks for, on this machine.

The typefaces and their fallbacks are data (``fonts.toml``). A font that is
installed prints as itself; a missing one is replaced by the first installed
name of its typeface, else by the first installed fallback. LibreOffice is told
so through its font replacement table (:func:`replacement_items`, written into
the private profile of every conversion), so what we report is what prints.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from xml.sax.saxutils import escape

from docxreport.errors import DocxreportError


@dataclass(frozen=True)
class Typeface:
    """One typeface under all its names, with its fallbacks in order of preference."""

    kind: str
    names: tuple[str, ...]
    fallback: tuple[str, ...]
    windows: str
    debian: str

    def install_hint(self) -> str:
        """How to get the typeface, or its first open fallback on Debian/Ubuntu."""
        first = self.fallback[0] if self.fallback else self.names[0]
        return (
            f"{self.windows}；Debian/Ubuntu 上安装开源代用字体 {first}："
            f"apt-get install -y {self.debian}"
        )


@dataclass(frozen=True)
class Choice:
    """What prints for one requested font: ``printed`` None when nothing is known to print."""

    font: str
    printed: str | None
    typeface: Typeface | None
    known: bool = True  # False where the installed fonts cannot be listed

    @property
    def installed(self) -> bool:
        return self.printed is not None and _key(self.printed) == _key(self.font)

    @property
    def missing(self) -> bool:
        """Neither the font nor any face of the font map for it is installed."""
        return self.known and self.printed is None


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


@cache
def typefaces() -> tuple[Typeface, ...]:
    """The font map of ``fonts.toml``."""
    text = resources.files("docxreport").joinpath("fonts.toml").read_text("utf-8")
    try:
        data = tomllib.loads(text)
        return tuple(
            Typeface(
                f["kind"],
                tuple(f["names"]),
                tuple(f.get("fallback", ())),
                f.get("windows", ""),
                f.get("debian", ""),
            )
            for f in data["font"]
        )
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise DocxreportError(f"字体对照表 fonts.toml 有误：{exc}") from exc


def typeface_of(font: str) -> Typeface | None:
    key = _key(font)
    return next((t for t in typefaces() if key in map(_key, t.names)), None)


@cache
def installed_fonts() -> frozenset[str] | None:
    """Every family name installed here (casefolded), or None when they cannot be listed."""
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            done = subprocess.run(
                [fc_list, ":", "family"], capture_output=True, timeout=60, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        lines = done.stdout.decode("utf-8", "replace").splitlines()
        return frozenset(_key(n) for line in lines for n in line.split(",") if n.strip())
    if os.name == "nt":
        return _windows_fonts()
    return None


def _windows_fonts() -> frozenset[str] | None:
    """Family names from the Windows registry (“SimSun & NSimSun (TrueType)”)."""
    try:
        import winreg
    except ImportError:
        return None
    found: set[str] = set()
    key_path = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts"
    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            with winreg.OpenKey(hive, key_path) as key:
                for i in range(winreg.QueryInfoKey(key)[1]):
                    label = re.sub(r"\s*\(.*\)\s*$", "", winreg.EnumValue(key, i)[0])
                    found.update(_key(n) for n in label.split("&") if n.strip())
        except OSError:
            continue
    return frozenset(found) or None


@cache
def fontconfig_pick(font: str) -> str | None:
    """The family fontconfig gives for ``font`` (what LibreOffice falls back to), if any."""
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return None
    try:
        done = subprocess.run(
            [fc_match, "-f", "%{family[0]}", f"{font}:lang=zh-cn"],
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", "replace").strip() or None


def choose(font: str, installed: frozenset[str] | None = None) -> Choice:
    """What prints for ``font``: itself, else the first installed name or fallback of its face."""
    have = installed if installed is not None else installed_fonts()
    typeface = typeface_of(font)
    if have is None:  # the installed fonts cannot be listed: nothing is known
        return Choice(font, None, typeface, known=False)
    candidates = (font, *(typeface.names + typeface.fallback if typeface else ()))
    printed = next((c for c in candidates if _key(c) in have), None)
    return Choice(font, printed, typeface)


def replacements(installed: frozenset[str] | None = None) -> list[tuple[str, str]]:
    """(font, replacement) for every name of the font map that is missing here."""
    have = installed if installed is not None else installed_fonts()
    if have is None:
        return []
    pairs: list[tuple[str, str]] = []
    for typeface in typefaces():
        for name in typeface.names:
            choice = choose(name, have)
            if choice.printed is not None and not choice.installed:
                pairs.append((name, choice.printed))
    return pairs


def replacement_items(installed: frozenset[str] | None = None) -> str:
    """The replacement table as registrymodifications.xcu items (“always replace”)."""
    pairs = replacements(installed)
    if not pairs:
        return ""
    path = "/org.openoffice.Office.Common/Font/Substitution"
    items = [
        f'<item oor:path="{path}"><prop oor:name="Replacement" oor:op="fuse">'
        "<value>true</value></prop></item>"
    ]
    for i, (font, printed) in enumerate(pairs):
        props = {"ReplaceFont": font, "SubstituteFont": printed}
        values = "".join(
            f'<prop oor:name="{k}" oor:op="fuse"><value>{escape(v)}</value></prop>'
            for k, v in props.items()
        )
        items.append(
            f'<item oor:path="{path}/FontPairs"><node oor:name="docxreport{i}" oor:op="replace">'
            '<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
            '<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>'
            f"{values}</node></item>"
        )
    return "\n".join(items) + "\n"

"""Write the sample year's workbooks (inputs/2024) from the figures in tools/sample/.

The figures were transcribed from the published 2024 report; the workbooks are
laid out by the same code that ``docxreport init`` uses. Run from the project
root: ``python tools/make_sample.py``. Existing workbooks are overwritten.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from docxreport import layout as L
from docxreport.catalog import default_catalog
from docxreport.load import load_year
from docxreport.model import CityData, School, TeamMember
from docxreport.selection.sync import sync_selection
from docxreport.workbook import parse_date, write_city, write_school

HERE = Path(__file__).parent / "sample"
YEAR = 2024
OUT = Path("inputs") / str(YEAR)
MAJOR_KEYS = ("code", "name", "since", "prev_classes", "new_classes", "students", "adjust")


def _load(name: str) -> dict:
    return tomllib.loads((HERE / name).read_text("utf-8"))


def _values(raw: dict) -> dict:
    return {(key, p): v for key, periods in raw.items() for p, v in periods.items()}


def _lists(texts: dict, majors: list, school: str) -> dict:
    cases = [c for c in texts.get("cases", []) if c["school"] == school]
    photos = [p for p in texts.get("photos", []) if p["school"] == school]
    return {
        "majors": [
            dict(zip(MAJOR_KEYS, (v if v != "" else None for v in m["row"]), strict=True))
            for m in majors
        ],
        "cases": [{k: c[k] for k in ("section", "title", "text")} for c in cases],
        "photos": [
            {
                "section": p["section"],
                "case": p.get("case") or None,
                "caption": p["caption"],
                "file": p.get("file") or None,
            }
            for p in photos
        ],
    }


def main() -> None:
    cat = default_catalog(_load("city.toml")["info"].get("province", "省级"))
    city_src, values, texts = _load("city.toml"), _load("values.toml"), _load("texts.toml")
    info = city_src["info"]
    registry = [
        School(s, f, tuple(a for a in aliases.split("、") if a), i)
        for i, (s, f, aliases) in enumerate(city_src["registry"])
    ]
    city = CityData(
        file=L.CITY_FILE,
        region=info["region"],
        region_full=info["region_full"],
        code=info["code"],
        bureau=info["bureau"],
        reviewers=info["reviewers"],
        province=info.get("province", ""),
        declaration_date=parse_date(info["declaration_date"]),
        publish_date=parse_date(info["publish_date"]),
        team=[TeamMember(*m) for m in city_src["team"]],
        registry=registry,
    )
    city_values = {(k, "curr"): v for k, v in values["city"].get("curr", {}).items()}
    city_values |= {(k, "prev"): v for k, v in values["city"].get("prev", {}).items()}
    published = [
        {
            "table": p["table"],
            "key": p["key"],
            "school": p.get("school", ""),
            "year": YEAR if p["period"] == "curr" else YEAR - 1,
            "value": p["value"],
            "note": p.get("note", ""),
        }
        for p in values.get("published", [])
    ]
    write_city(OUT / L.CITY_FILE, cat, city, YEAR, city_values, published, _lists(texts, [], ""))
    for school in registry:
        majors = city_src.get("majors", {}).get(school.short, [])
        write_school(
            OUT / L.SCHOOL_DIR / school.filename,
            cat,
            school,
            YEAR,
            _values(values["schools"].get(school.short, {})),
            _lists(texts, majors, school.short),
        )
    (OUT / L.PHOTO_DIR).mkdir(parents=True, exist_ok=True)
    loaded = load_year(OUT.parent, YEAR, cat, history=False)
    print(sync_selection(OUT, loaded.city, loaded.schools).line())
    print(f"已写入 {OUT}")


if __name__ == "__main__":
    main()

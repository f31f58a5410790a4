"""Generate the docxtpl template templates/school.docx: one school's own quality report.

Developer script, not part of the package. The school report has the city report's frame,
built by the same functions (tools/make_template.py): styles, A4 page setup, the three
sections with their page numbers, the 内容真实性责任声明 page and the contents lists. Its
chapters carry the city report's headings, read from the same reference outline, so that the
photos and cases that schools assign to a section ("1.1.1", "1.14", "2.2.2" …) find their
place: every section asks for its photos and cases. The prose is a short lead per section in
the school's voice (本校) for the school to edit, plus the sentences that state its figures.

    .venv/bin/python tools/make_school_template.py        # writes templates/school.docx

The template uses only these names from the render context:
    school.short / .full / .has_graduates, year, prev_year, publish_date, declaration_date,
    v(key), change(key).word / .pct, table(id[, school.short]), figures(section),
    cases(section), toc(kind)

``v`` prints "—" for a figure the school left empty; a sentence that states an optional
figure is wrapped in ``{% if v("key") != "—" %}`` so that it disappears instead.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import make_template as mt
from docx.shared import Pt
from make_template import para

OUT = mt.ROOT / "templates" / "school.docx"
DASH = "—"  # what v() prints for an empty figure (docxreport.render.fmt.DASH)

NO_GRADUATES_NOTE = "本校本年度无毕业生，毕业生相关指标按规定不填报，表中以“—”表示。"


# ---------------------------------------------------------------------------------------------
# Jinja snippets
# ---------------------------------------------------------------------------------------------
def v(key: str) -> str:
    return f'{{{{ v("{key}") }}}}'


def when(keys: str | list[str], text: str) -> str:
    """``text`` only where the school filled every figure in ``keys``."""
    keys = [keys] if isinstance(keys, str) else keys
    cond = " and ".join(f'v("{k}") != "{DASH}"' for k in keys)
    return f"{{% if {cond} %}}{text}{{% endif %}}"


def when_any(key: str, text: str) -> str:
    """``text`` only where the school filled ``key`` with more than zero (a count or amount)."""
    return f'{{% if v("{key}") not in ("{DASH}", "0", "0.00") %}}{text}{{% endif %}}'


def vs_prev(key: str) -> str:
    """ "，较上年增加 1.23%" / "，与上年持平"; nothing when last year's figure is unknown."""
    return (
        f'{{% set c = change("{key}") %}}{{% if c.word == "持平" %}}，与上年持平'
        f'{{% elif c.pct != "{DASH}" %}}，较上年{{{{ c.word }}}} {{{{ c.pct }}}}%{{% endif %}}'
    )


# ---------------------------------------------------------------------------------------------
# What each section holds, after its heading: lead paragraphs (plain strings, which may be
# docxtpl paragraph tags such as "{%p if … %}"), then its photos, its tables, its cases.
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Table:
    id: str
    caption: str  # without "表 x-y": the renderer numbers captions per chapter
    school_arg: bool = False  # list tables name their school: table("1-1", school.short)


GRADUATES = [
    "{%p if school.has_graduates %}",
    f"{{{{ year }}}} 年本校毕业生 {v('graduates')} 人"
    + when_any("bachelor_entrants", f"，其中升入本科 {v('bachelor_entrants')} 人")
    + "。毕业去向、就业质量等指标见文末表1“人才培养质量计分卡”。",
    "{%p else %}",
    NO_GRADUATES_NOTE,
    "{%p endif %}",
]

SCALE = (
    f"本校现有教职工 {v('staff')} 人；{{{{ year }}}} 年招生 {v('enrolment')} 人{vs_prev('enrolment')}；"
    f"全日制在校生 {v('students')} 人{vs_prev('students')}；"
    f"{{% if school.has_graduates %}}毕业生 {v('graduates')} 人{{% else %}}本年度无毕业生{{% endif %}}。"
)

TEACHERS = (
    f"本校现有教职工 {v('staff')} 人，其中专任教师 {v('fulltime_teachers')} 人"
    + when("student_teacher_ratio", f"，生师比 {v('student_teacher_ratio')}∶1")
    + when("dual_teacher_rate", f"；“双师型”教师占专业课教师的比例为 {v('dual_teacher_rate')}%")
    + when("senior_teacher_share", f"，高级教师占比 {v('senior_teacher_share')}%")
    + "。"
)

SECTIONS: dict[str, list[str | Table]] = {
    "1": [
        "本校坚持立德树人根本任务，坚持德技并修、育训结合，从专业、课程、教材、教学和技能培养"
        "等方面开展人才培养工作。本章介绍本校 {{ year }} 年度人才培养的主要做法和成效。",
    ],
    "1.1": ["本校全面贯彻党的教育方针，落实立德树人根本任务，把思想政治教育贯穿教育教学全过程。"],
    "1.1.1": [
        "本校按照国家课程方案开设思想政治课程，加强思政课教师队伍建设，推动思政课程与课程思政"
        "同向同行。"
        + when_any("ideology_teachers", f"本校现有思政课教师 {v('ideology_teachers')} 人。"),
    ],
    "1.1.2": ["本校坚持德智体美劳五育并举，结合专业特点和学生实际开展德育活动，培育学校德育特色。"],
    "1.1.3": [
        "本校重视班主任队伍建设，健全班主任选聘、培训和考核制度。"
        + when_any("head_teachers", f"本校现有班主任 {v('head_teachers')} 人。"),
    ],
    "1.2": ["本校按照上级关于优质中等职业学校和优质专业建设的要求，推进各项建设任务落实。"],
    "1.3": [
        "本校围绕区域经济社会发展需要设置和调整专业。"
        + when(
            "major_count",
            f"{{{{ year }}}} 学年本校开设专业 {v('major_count')} 个"
            + when_any("major_groups", f"，组建专业群 {v('major_groups')} 个")
            + "。",
        )
        + "各专业设置及学生情况见下表。",
        Table(
            "1-1", "本校 {{ prev_year }} 学年、{{ year }} 学年专业设置及各专业学生情况一览表", True
        ),
    ],
    "1.4": [
        "本校按照国家专业教学标准和人才培养方案组织课程教学，推进课证融通和校企合作开发课程。"
        + when(
            ["courses", "course_hours"],
            f"{{{{ year }}}} 学年本校教学计划内课程 {v('courses')} 门、{v('course_hours')} 学时"
            + when_any("cert_courses", f"，其中课证融通课程 {v('cert_courses')} 门")
            + "。",
        ),
    ],
    "1.5": [
        "本校严格执行教材选用管理规定，规范教材的选用和使用。"
        + when_any("textbooks", f"本年度本校编写教材 {v('textbooks')} 本。"),
        Table("1-4", "本校专业建设、课程建设、教材建设情况表"),
    ],
    "1.6": [
        "本校以教师、教材、教法改革为抓手，推进理实一体化教学和信息技术与教学的融合，完善多元"
        "评价。",
    ],
    "1.7": [
        "本校推进信息技术与教育教学融合，加强数字化教学资源和信息化管理平台建设。"
        + when(
            ["internet_bandwidth", "backbone_bandwidth"],
            f"学校互联网出口带宽 {v('internet_bandwidth')} Mbps，校园网主干最大带宽 "
            f"{v('backbone_bandwidth')} Mbps。",
        ),
    ],
    "1.8": ["本校按照上级有关规定开展中高职贯通培养，拓宽学生升学和成长通道。"],
    "1.9": ["本校推动职业教育与普通教育相互融通，推进科教融汇，为学生多样化成长提供支持。"],
    "1.10": [
        "本校在保证培养质量的前提下保持办学规模稳定。",
        SCALE,
        Table("1-5", "本校教职工、招生、在校生、毕业生规模一览表"),
    ],
    "1.11": [
        "本校以赛促教、以赛促学，组织师生参加各级各类技能大赛。",
        "{{ year }} 年本校师生在各级技能大赛中的获奖情况见下表。",
        Table("1-6", "{{ year }} 年本校师生技能大赛获奖情况统计表"),
    ],
    "1.12": ["本校开设职业生涯规划和创新创业相关课程，开展创新创业教育，提升学生创新创业素养。"],
    "1.13": ["本校坚持升学与就业并重，关注学生全面发展和可持续发展。", *GRADUATES],
    "1.13.1": ["本校持续完善教学管理和质量监控，推动教学质量和办学水平提升。"],
    "1.13.2": [
        "本校加强专业技能训练和职业技能等级证书培训，提升学生就业竞争力。"
        + when_any(
            "certificate_holders",
            f"本年度本校 {v('certificate_holders')} 名学生获得职业技能等级证书（含职业资格证书）。",
        ),
    ],
    "1.13.3": [
        "本校重视学生思想品德、身心健康和文化素养的培养，促进学生综合素质提升。"
        + when("fitness_pass_rate", f"本年度学生体质测评合格率为 {v('fitness_pass_rate')}%。"),
        Table("1-7", "{{ prev_year }} 年、{{ year }} 年本校升入本科人数统计表"),
    ],
    "1.14": ["本校结合自身实际，开展具有本校特色的人才培养工作。"],
    "2": [
        "本校立足区域经济社会发展需要，发挥职业学校在技术技能人才培养、职业培训和社会服务等"
        "方面的作用。",
    ],
    "2.1": ["本校主动对接区域重点产业和重大项目，推动专业设置与产业需求相匹配。"],
    "2.2": ["本校发挥专业和人才优势，服务乡村振兴。"],
    "2.2.1": ["本校面向企业特别是中小微企业的生产经营需要开展技术服务，协助解决一线生产问题。"],
    "2.2.2": ["本校面向农村开展技术推广和技能培训，服务当地农民。"],
    "2.3": ["本校向社区开放教育资源，参与社区教育和老年教育，服务学习型社会建设。"],
    "2.4": [
        "本校加强与所在地区政府、行业和企业的合作，服务区域经济发展。"
        + when(
            ["first_employed", "employed_local"],
            f"{{% if school.has_graduates %}}本年度本校毕业生初次就业 {v('first_employed')} 人，"
            f"其中留在当地就业 {v('employed_local')} 人。{{% endif %}}",
        ),
    ],
    "2.5": [
        "本校面向社会开展职业培训和技能评价，服务技术技能人才培养。"
        + when_any(
            "training_projects",
            f"本年度本校开展非学历培训项目 {v('training_projects')} 项"
            + when_any("training_hours", f"，培训 {v('training_hours')} 学时")
            + when_any("training_income", f"，非学历培训到账经费 {v('training_income')} 万元")
            + "。",
        ),
    ],
    "3": [
        "本校重视文化育人，把中华优秀传统文化、革命文化和社会主义先进文化融入教育教学和校园"
        "文化建设。",
    ],
    "3.1": ["本校通过课程教学、经典诵读和传统节日等活动，传承中华优秀传统文化。"],
    "3.2": ["本校通过主题教育和红色教育实践等活动，传承红色基因，开展爱国主义教育。"],
    "3.3": ["本校通过课堂教学、社团活动和工作室等形式，开展地方文化和非物质文化遗产传承活动。"],
    "3.4": ["本校组织师生开展读书活动，营造爱读书、读好书的校园氛围。"],
    "3.5": ["本校加强书香校园和校园文化建设，营造良好的育人环境。"],
    "4": [
        "本校积极探索对外交流与合作，拓展师生国际视野。"
        + when_any("intl_students", f"本年度本校接收国外留学生 {v('intl_students')} 人。")
        + when_any("sino_foreign_majors", f"本校中外合作办学专业 {v('sino_foreign_majors')} 个。")
        + when_any(
            "intl_skill_awards", f"本年度本校获国际技能大赛奖项 {v('intl_skill_awards')} 项。"
        ),
    ],
    "5": ["本校坚持产教融合、校企合作，推动学校与行业企业协同育人。"],
    "5.1": ["本校与行业企业共同制定人才培养方案、共建课程和实训基地，推进校企双元育人。"],
    "5.2": ["本校按照上级有关要求推进现代学徒制相关工作，探索校企联合培养。"],
    "5.3": ["本校按照有关要求参与职业教育集团化办学，推动资源共享、协同育人。"],
    "5.4": [
        "本校加强校内外实习实训基地建设，为学生实践教学提供条件。"
        + when_any(
            "enterprise_equipment",
            f"本年度企业提供的校内实践教学设备值 {v('enterprise_equipment')} 万元。",
        ),
    ],
    "5.5": ["本校结合专业和产业特点，探索与企业共建产业学院。"],
    "5.6": ["本校参与市域产教联合体建设，推动专业与产业精准对接。"],
    "5.7": ["本校参与行业产教融合共同体建设，依托共同体开展联合培养。"],
    "5.8": [
        "本校与企业共建产教融合实践中心，推动实践教学与生产实际相结合。"
        + when_any(
            "practice_centres",
            f"本校与企业共建开放型区域产教融合实践中心 {v('practice_centres')} 个。",
        )
        + when_any(
            "industry_mentors",
            f"本年度聘请行业导师 {v('industry_mentors')} 人"
            + when_any("mentor_hours", f"，行业导师年课时总量 {v('mentor_hours')} 课时")
            + "。",
        )
        + when_any("internship_funds", f"年实习专项经费 {v('internship_funds')} 万元。"),
        Table("5-1", "本校产教融合信息统计表"),
    ],
    "6": [
        "本校坚持党建引领，落实各项政策，加强学校治理、质量保证、师资队伍和经费保障，为学校"
        "发展提供保障。",
    ],
    "6.1": ["本校坚持党对学校工作的全面领导，以高质量党建引领学校高质量发展。"],
    "6.1.1": [
        "本校以习近平新时代中国特色社会主义思想为指导，通过理论学习、主题教育等形式加强思想引领。",
    ],
    "6.1.2": ["本校落实党组织领导的校长负责制，推动党建工作与教育教学工作深度融合。"],
    "6.1.3": ["本校规范党员发展程序，加强党员日常教育管理，发挥党员先锋模范作用。"],
    "6.2": ["本校认真落实国家和地方职业教育相关政策。"],
    "6.2.1": ["本校按照优质中等职业学校和优质专业建设要求推进各项建设任务。"],
    "6.2.2": ["本校严格落实中等职业教育免学费、国家助学金等学生资助政策。"],
    "6.2.3": ["本校认真贯彻《中华人民共和国职业教育法》等法律法规和相关政策。"],
    "6.3": ["本校认真落实地方出台的支持职业教育发展的政策措施。"],
    "6.4": ["本校以章程为统领，完善内部治理结构和管理制度，推进依法治校。"],
    "6.4.1": ["本校坚持和完善党组织领导的校长负责制，健全议事决策制度。"],
    "6.4.2": ["本校健全以章程为核心的学校制度体系，完善民主管理和监督机制。"],
    "6.4.3": ["本校根据国家专业教学标准和产业发展需要，修订完善各专业人才培养方案。"],
    "6.4.4": ["本校建立内部督导和考核机制，对教育教学各环节开展常态化检查。"],
    "6.5": ["本校建立健全内部质量保证体系，开展教学诊断与改进，持续提升办学质量。"],
    "6.6": [
        "本校加强师德师风建设和教师培养培训，推进“双师型”教师队伍建设。",
        TEACHERS,
        Table("6-1", "本校教师队伍情况统计表"),
        "{{ year }} 年本校教师在各级教学能力大赛中的获奖情况见下表。",
        Table("6-2", "{{ year }} 年本校教师教学能力大赛获奖情况统计表"),
    ],
    "6.7": [
        "本校按规定管理和使用各项经费，保障教育教学正常运行。"
        + when(
            "funding_per_student",
            f"{{{{ year }}}} 年本校年生均财政拨款 {v('funding_per_student')} 元。",
        )
        + when("special_funding", f"年财政专项经费 {v('special_funding')} 万元。"),
    ],
    "7": ["本校在发展中仍面临一些问题和挑战，需要在今后的工作中着力解决。"],
    "7.c1": ["本校与行业企业合作的深度有待加强，校企协同育人的长效机制需进一步完善。"],
    "7.c2": ["社会对技能型人才的认可度仍需提高，本校在拓宽学生成长通道方面还需持续努力。"],
    "7.c3": ["本校对外交流合作的渠道和形式较为有限，师生国际视野有待进一步拓展。"],
}

ANNEX = [  # (number, title, paragraphs between the 名称 line and the table)
    (
        1,
        "人才培养质量计分卡",
        ["{%p if not school.has_graduates %}", NO_GRADUATES_NOTE, "{%p endif %}"],
    ),
    (2, "满意度调查表", []),
    (3, "教学资源表", []),
    (4, "服务贡献表", []),
    (5, "国际影响表", []),
    (6, "落实政策表", []),
]


# ---------------------------------------------------------------------------------------------
# Building the document
# ---------------------------------------------------------------------------------------------
def add_cover(doc) -> None:
    p = para(doc, "{{ school.full }}", "封面标题")
    p.paragraph_format.space_before = Pt(150)
    para(doc, "质量年度报告", "封面标题")
    p = para(doc, "（{{ year }}）", "封面文字")
    p.paragraph_format.space_before = Pt(12)
    p = para(doc, "{{ publish_date }}", "封面文字")
    p.paragraph_format.space_before = Pt(262)
    mt.end_cover(doc)


def add_section_content(doc, content: list[str | Table]) -> None:
    for item in content:
        if isinstance(item, Table):
            para(doc, item.caption, "表题")
            arg = ", school.short" if item.school_arg else ""
            para(doc, f'{{{{p table("{item.id}"{arg}) }}}}')
            # a small empty paragraph: a table directly followed by a case box (also a table)
            # would be joined with it by Word and LibreOffice
            para(doc, "", "表格文字")
        else:
            para(doc, item)


def add_chapters(doc, outline: list[mt.Heading]) -> None:
    """Every heading of the city report, its lead, its photos, its tables, its cases."""
    missing = [h.sid for h in outline if h.sid not in SECTIONS]
    extra = sorted(set(SECTIONS) - {h.sid for h in outline})
    if missing or extra:
        raise ValueError(f"SECTIONS does not match the outline: missing {missing}, extra {extra}")
    for h in outline:
        para(doc, h.title, f"Heading {h.level}" if h.numbered else "标题 2 不编号")
        content = SECTIONS[h.sid]
        split = next((i for i, x in enumerate(content) if isinstance(x, Table)), len(content))
        add_section_content(doc, content[:split])
        if h.numbered:  # photos stand after the lead, before the section's tables
            para(doc, f'{{{{p figures("{h.sid}") }}}}')
        add_section_content(doc, content[split:])
        if h.numbered:
            para(doc, f'{{{{p cases("{h.sid}") }}}}')


def add_annex(doc) -> None:
    for num, title, notes in ANNEX:
        para(doc, f"表{num} {title}", "附表标题")
        para(doc, "名称：{{ school.full }}", "无缩进正文")
        for text in notes:
            para(doc, text, "无缩进正文")
        para(doc, f'{{{{p table("annex{num}") }}}}')


def build(outline: list[mt.Heading], out: Path) -> None:
    doc = mt.new_document("学校质量年度报告")
    add_cover(doc)
    mt.add_declaration(
        doc,
        "{{ school.full }}对本校质量年度报告（{{ year }}年度）及相关附件的真实性、完整性和"
        "准确性负责。特此声明。",
        "{{ school.full }}",
    )
    mt.add_contents(doc)
    add_chapters(doc, outline)
    add_annex(doc)
    mt.finish_sections(doc)
    mt.save(doc, out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reference", type=Path, default=mt.REFERENCE)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    build(mt.read_reference(args.reference).outline, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

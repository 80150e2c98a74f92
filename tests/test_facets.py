"""Department, year and report type from titles (and the first page when the title is silent)."""

from __future__ import annotations

import pytest

from qa.answering.scope import name_strength, organisations
from qa.ingest.facets import facets_of, title_facets
from qa.records import Document


@pytest.mark.parametrize(
    ("title", "department", "year", "kind"),
    [
        ("2019年度云岭县卫生健康局部门整体支出绩效自评报告", "云岭县卫生健康局", "2019", "部门整体支出绩效自评报告"),
        ("湘源县水利局2018年度部门决算说明", "湘源县水利局", "2018", "部门决算说明"),
        ("涓安县教育局2023年度“三公”经费及部门预算执行情况说明", "涓安县教育局", "2023", "部门预算执行情况说明"),
        ("2021年度澧江市生态环境局三公经费及部门预算执行情况说明", "澧江市生态环境局", "2021", "部门预算执行情况说明"),
        ("2018年度冷水滩高科园部门整体支出绩效自评报告", "冷水滩高科园", "2018", "部门整体支出绩效自评报告"),
        ("荷溪县水利局2018年“三公”经费支出情况说明", "荷溪县水利局", "2018", "“三公”经费"),
    ],
)
def test_title_facets(title: str, department: str, year: str, kind: str) -> None:
    found = title_facets(title)
    assert (found.department, found.year) == (department, year) and kind in found.report_type


def test_a_silent_title_is_completed_from_the_first_page() -> None:
    text = "关于“三公”经费支出情况的说明\n\n根据要求，现将青峰市白沙区农业农村局2020年度“三公”经费支出情况说明如下："
    doc = Document(
        doc_id="x", path="x.txt", title="关于“三公”经费支出情况的说明", text=text, sha256="0" * 64, encoding="utf-8"
    )
    found = facets_of(doc)
    assert (found.department, found.year) == ("青峰市白沙区农业农村局", "2020")


def test_the_question_naming_more_of_a_department_wins() -> None:
    q = "珑原县自然资源局2021年度接待了多少批客人"
    orgs = organisations(q)
    assert name_strength(q, orgs, "珑原县自然资源局") > name_strength(q, orgs, "溆坪县自然资源局") > 0
    q = "沅洲县卫健局2017年招待客人花了多少钱"
    orgs = organisations(q)
    assert name_strength(q, orgs, "沅洲县卫生健康局") > name_strength(q, orgs, "桐门县卫生健康局") > 0
    assert not any("办" in w for w in organisations("2020年度溆水区财政局办了多少笔国库支付业务"))


def test_a_year_glued_to_the_name_is_not_part_of_it() -> None:
    assert all(not w.startswith("年") for w in organisations("2017年翠泽县自然资源局买车和养车花了多少钱"))


def test_a_town_government_is_named_whole_and_乡镇_is_no_place() -> None:
    """ "河西务镇人民政府隶属于天津市武清区人民政府" names 河西务镇人民政府, not "民政府隶属于…"."""
    from qa.ingest.facets import ORG_NAME

    text = "河西务镇人民政府隶属于天津市武清区人民政府管辖，全县15家乡镇卫生院。"
    names = [m.group(0) for m in ORG_NAME.finditer(text)]
    assert names[0] == "河西务镇人民政府" and names[1].endswith("天津市武清区人民政府")
    assert not any("乡镇" in n for n in names)

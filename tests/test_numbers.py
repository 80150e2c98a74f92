"""qa.domain.numbers: finding printed figures with exact spans, parsing and normalising them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.domain.numbers import FOLD_TABLE, MONEY_SCALE, UNITS, find_figures, fold, normalise, parse_figure

D = Decimal


def figures(text: str) -> list[tuple[str, Decimal, str, Decimal, str]]:
    found = find_figures(text)
    for f in found:
        assert text[f.start : f.end] == f.raw
    return [(f.raw, f.value, f.unit, f.norm_value, f.norm_unit) for f in found]


# --- find_figures: examples ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("公务接待费2.97万元", [("2.97万元", D("2.97"), "万元", D("29700"), "元")]),
        ("共接待65批216人次；", [("65批", D(65), "批", D(65), "批"), ("216人次", D(216), "人次", D(216), "人次")]),
        ("接待费1.5万\n元。", [("1.5万\n元", D("1.5"), "万元", D(15000), "元")]),
        ("支出为３,５１４.６９万元", [("３,５１４.６９万元", D("3514.69"), "万元", D("35146900"), "元")]),
        ("合计1,234,567.89元", [("1,234,567.89元", D("1234567.89"), "元", D("1234567.89"), "元")]),
        ("因公出国（境）费用0元；", [("0元", D(0), "元", D(0), "元")]),
        ("结余-16.77万元", [("-16.77万元", D("-16.77"), "万元", D("-167700"), "元")]),
        ("订单38万", [("38万", D(38), "万", D(380000), "万")]),
        ("增长26%以上", [("26%", D(26), "%", D(26), "%")]),
        ("增长１２％", [("１２％", D(12), "%", D(12), "%")]),
        ("提高5个百分点", [("5个百分点", D(5), "个百分点", D(5), "个百分点")]),
        ("建成厂房面积14万平方米", [("14万平方米", D(14), "万平方米", D(140000), "平方米")]),
        ("为企业输送员工2000余人", [("2000余人", D(2000), "人", D(2000), "人")]),
        ("洽谈项目40多个", [("40多个", D(40), "个", D(40), "个")]),
        ("规模工业总产值230亿元", [("230亿元", D(230), "亿元", D(23000000000), "元")]),
        ("订单400万美元", [("400万美元", D(400), "万美元", D(4000000), "美元")]),
        ("南片区16平方公里", [("16平方公里", D(16), "平方公里", D(16), "平方公里")]),
        ("接待5 万 元", [("5 万 元", D(5), "万元", D(50000), "元")]),
        ("2017-2019年共3台", [("3台", D(3), "台", D(3), "台")]),
    ],
)
def test_find_figures_examples(text: str, expected: list[tuple[str, Decimal, str, Decimal, str]]) -> None:
    assert figures(text) == expected


@pytest.mark.parametrize(
    "text",
    ["2018年", "3月5日", "〔2017〕19号", "下发了冷办〔2017〕19号文件", "5月3日-11日", "2014年10月", "第3季度", "1234"],
)
def test_find_figures_dates_and_bare_numbers_give_nothing(text: str) -> None:
    assert find_figures(text) == []


def test_find_figures_empty_text() -> None:
    assert find_figures("") == []


def test_find_figures_spans_in_context() -> None:
    text = "2018年，公务接待费2.97万元，共接待65批216人次；3月5日下发文件。"
    found = find_figures(text)
    assert [f.raw for f in found] == ["2.97万元", "65批", "216人次"]
    assert [(f.start, f.end) for f in found] == [
        (text.index("2.97"), text.index("2.97") + 6),
        (text.index("65批"), text.index("65批") + 3),
        (text.index("216"), text.index("216") + 5),
    ]


def test_find_figures_does_not_start_inside_a_number() -> None:
    # "5000万元" must not also yield "000万元" or "00万元"
    assert [f.raw for f in find_figures("新增5000万元以上项目8个")] == ["5000万元", "8个"]
    assert [f.raw for f in find_figures("增长率30%")] == ["30%"]


@pytest.mark.parametrize(
    ("text", "raws"),
    [
        ("公务接待费2.97万元，65批216人次", ["2.97万元", "65批", "216人次"]),
        ("车辆编制数为3台，其中，2台为公务用车", ["3台", "2台"]),
        ("增长26%，5000万元以上项目8个", ["26%", "5000万元", "8个"]),
    ],
)
def test_find_figures_after_full_width_comma(text: str, raws: list[str]) -> None:
    assert [f.raw for f in find_figures(text)] == raws


# --- parse_figure / normalise -------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "unit"),
    [
        ("2.97万元", D("2.97"), "万元"),
        ("1,234.5 万\n元", D("1234.5"), "万元"),
        ("３,５１４.６９万元", D("3514.69"), "万元"),
        ("１２％", D(12), "%"),
        ("216人次", D(216), "人次"),
        ("-16.77万元", D("-16.77"), "万元"),
    ],
)
def test_parse_figure(raw: str, value: Decimal, unit: str) -> None:
    assert parse_figure(raw) == (value, unit)


@pytest.mark.parametrize("raw", ["2018年", "万元", "abc", "", "2.97"])
def test_parse_figure_rejects_non_figures(raw: str) -> None:
    with pytest.raises(ValueError, match="not a figure"):
        parse_figure(raw)


@pytest.mark.parametrize(
    ("value", "unit", "norm"),
    [
        ("2.97", "万元", "29700"),
        ("0.01", "万元", "100"),
        ("3514.69", "万元", "35146900"),
        ("1.23", "亿元", "123000000"),
        ("123456789.99", "亿元", "12345678999000000"),
        ("0.01", "亿元", "1000000"),
        ("12.345", "千元", "12345"),
        ("0.001", "千元", "1"),
        ("7.5", "元", "7.5"),
    ],
)
def test_normalise_money_exact(value: str, unit: str, norm: str) -> None:
    norm_value, norm_unit = normalise(D(value), unit)
    assert isinstance(norm_value, Decimal)
    assert norm_unit == "元"
    assert norm_value == D(norm)
    assert norm_value == D(value) * MONEY_SCALE[unit]


def test_normalise_money_has_no_float_error() -> None:
    # 0.1 + 0.2 style errors would show up here if floats were involved
    total = sum((normalise(D("0.1"), "万元")[0], normalise(D("0.2"), "万元")[0]), D(0))
    assert total == D(3000)
    assert normalise(D("33.19"), "万元")[0] == D("331900")


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        ("38", "万", (D(380000), "万")),
        ("2", "亿", (D(200000000), "亿")),
        ("14", "万平方米", (D(140000), "平方米")),
        ("3.9", "万平方米", (D(39000), "平方米")),
        ("12", "万人次", (D(120000), "人次")),
        ("26", "%", (D(26), "%")),
        ("86", "人", (D(86), "人")),
        ("5", "个百分点", (D(5), "个百分点")),
    ],
)
def test_normalise_other_units(value: str, unit: str, expected: tuple[Decimal, str]) -> None:
    assert normalise(D(value), unit) == expected


# --- property tests -----------------------------------------------------------------

OTHER_UNITS = [
    "万",
    "亿",
    "个百分点",
    "平方公里",
    "平方米",
    "万美元",
    "美元",
    "人次",
    "批",
    "%",
    "％",
    "‰",
    "㎡",
    "亩",
    "人",
    "名",
    "台",
    "个",
    "项",
    "家",
    "栋",
    "吨",
    "倍",
]
assert all(u in UNITS for u in OTHER_UNITS)
PROPERTY_UNITS = list(MONEY_SCALE) + OTHER_UNITS
# Full-width digits and point; the full-width comma is a clause break, never a separator.
FULL_WIDTH = str.maketrans({**{str(d): chr(0xFF10 + d) for d in range(10)}, ".": "．"})

values = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


def formatted(value: Decimal, style: str) -> str:
    plain = f"{value:f}"
    if style == "plain":
        return plain
    return f"{value:,f}" if style == "thousands" else plain.translate(FULL_WIDTH)


@settings(max_examples=200, deadline=None)
@given(value=values, unit=st.sampled_from(PROPERTY_UNITS), style=st.sampled_from(["plain", "thousands", "full"]))
def test_property_format_then_parse(value: Decimal, unit: str, style: str) -> None:
    raw = formatted(value, style) + unit
    expected_unit = unit.replace("％", "%")
    assert parse_figure(raw) == (value, expected_unit)
    text = f"本年支出为{raw}，比上年"
    [fig] = find_figures(text)
    assert fig.raw == raw
    assert text[fig.start : fig.end] == raw
    assert (fig.value, fig.unit) == (value, expected_unit)
    assert (fig.norm_value, fig.norm_unit) == normalise(value, expected_unit)
    if unit in MONEY_SCALE:
        assert fig.norm_unit == "元"
        assert fig.norm_value == value * MONEY_SCALE[unit]


FIGURE_ALPHABET = list("0123456789.,-，。；：、\n \u3000\t万元亿千人次批%％‰㎡３５．（）()①")
FIGURE_ALPHABET += list("一公务接待费余多平方米公里个百分点年月日号")
texts = st.one_of(st.text(), st.text(alphabet=st.sampled_from(FIGURE_ALPHABET)))


@settings(max_examples=200, deadline=None)
@given(texts)
def test_property_find_figures_never_raises_and_spans_are_exact(text: str) -> None:
    previous_end = 0
    for fig in find_figures(text):
        assert 0 <= fig.start < fig.end <= len(text)
        assert text[fig.start : fig.end] == fig.raw
        assert fig.start >= previous_end  # in order, no overlap
        previous_end = fig.end
        assert parse_figure(fig.raw) == (fig.value, fig.unit)
        assert normalise(fig.value, fig.unit) == (fig.norm_value, fig.norm_unit)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_property_fold_preserves_length(text: str) -> None:
    folded = fold(text)
    assert len(folded) == len(text)
    assert fold(folded) == folded
    for a, b in zip(text, folded, strict=True):
        assert a == b or 0xFF01 <= ord(a) <= 0xFF5E or a == "\u3000" or FOLD_TABLE.get(ord(a)) == ord(b) or b == " "


def test_fold_examples() -> None:
    assert fold("３,５１４．６９万元（全角）\u3000％") == "3,514.69万元(全角) %"
    assert fold("冷水滩２０１８") == "冷水滩2018"
    # a mirror site's traditional characters and glued pinyin (h_09, k_10 of tests/data/real)
    assert fold("財政撥款收入1516.64萬元") == "财政拨款收入1516.64万元"
    assert fold("經(jīng)費(fèi)35萬(wàn)元") == "经      费     35万     元"
    assert fold("(a) 3(m) (万元)") == "(a) 3(m) (万元)"  # no tone mark: not pinyin


def test_a_mirror_sites_figure_is_read_and_printed_as_the_page_prints_it() -> None:
    (figure,) = find_figures("公務(wù)接待費(fèi)35萬(wàn)元")
    assert (figure.raw, figure.value, figure.unit) == ("35萬(wàn)元", Decimal("35"), "万元")


def test_latin_length_units_are_read_but_never_from_m2_or_mg() -> None:
    from qa.domain.numbers import find_figures

    assert [(f.raw, f.unit) for f in find_figures("铺设输水管线3800m，改建12km道路")] == [
        ("3800m", "m"),
        ("12km", "km"),
    ]
    assert find_figures("面积120m²，浓度5mg/L，用水3m3") == []


def test_a_number_is_held_only_whole() -> None:
    from qa.domain.numbers import holds_number

    assert holds_number("2023年建设202个", "202") and not holds_number("2023年", "202")
    assert holds_number("编制63人，实际在职多少", "63人") and not holds_number("共1.5万元", "5万元")
    assert not holds_number("12.5", "12") and holds_number("第12项。", "12")


def test_a_rate_per_head_or_month_is_printed_whole() -> None:
    """"1300元/人/月" is one figure (a 低保 standard), its amount in 元 and counted per 人 and 月; "/" between
    two years or after a Latin unit is not."""
    from qa.domain.numbers import find_figures

    found = [(f.raw, f.unit, f.per) for f in find_figures("标准为1300元/人/月,583元/人*月;5830元/户。2019/2020年")]
    assert found == [("1300元/人/月", "元", "/人/月"), ("583元/人*月", "元", "/人*月"), ("5830元/户", "元", "/户")]
    assert [(f.raw, f.per) for f in find_figures("公务接待费2.97万元,较上年")] == [("2.97万元", "")]

"""The short names organisations and places go by, so a question's 民建北京市委 or 彭水县 finds the
report of 中国民主建国会北京市委员会 or 彭水苗族土家族自治县.

Two kinds, both national conventions rather than words of any one report: the fixed short names
of the people's organisations (民主党派, 共青团, 政协 …), and autonomous places said without their
peoples and 自治 (彭水苗族土家族自治县 → 彭水县, 黔东南苗族侗族自治州 → 黔东南州, 宁夏回族自治区 → 宁夏).
"""

from __future__ import annotations

import re

# formal name → the short name printed and asked (longest formal names first when replacing)
SHORT_NAMES = {
    "中国国民党革命委员会": "民革",
    "中国民主同盟": "民盟",
    "中国民主建国会": "民建",
    "中国民主促进会": "民进",
    "中国农工民主党": "农工党",
    "中国致公党": "致公党",
    "台湾民主自治同盟": "台盟",
    "中国共产主义青年团": "共青团",
    "中国人民政治协商会议": "政协",
    "中华全国总工会": "全总",
    "中华全国妇女联合会": "全国妇联",
    "中国共产党": "中共",
}
# the 55 peoples an autonomous place may name (2–5 characters before 族)
PEOPLES = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 "
    "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
_PEOPLE = "(?:" + "|".join(f"{p}族" for p in sorted(PEOPLES, key=len, reverse=True)) + ")+"
AUTONOMOUS = re.compile(f"{_PEOPLE}自治(?=[县州旗])|{_PEOPLE}自治区")  # 自治区: the region's name alone


def short_names(name: str) -> list[str]:
    """The other names `name` goes by under those conventions (none when it uses neither)."""
    short = name
    for formal, abbreviation in SHORT_NAMES.items():
        short = short.replace(formal, abbreviation)
    short = AUTONOMOUS.sub("", short)
    return [short] if short != name else []

# ruff: noqa: E501  (report sentences are templates with their figures inline, in print order; a CJK
# character counts two columns, so one clause of prose fills a line)
"""A deterministic generator of realistic Chinese budget and performance reports.

`write_corpus(out, reports, seed)` writes

    out/reports/<file>.txt   reports of three families — 部门整体支出绩效自评报告, 部门决算说明 and
                             “三公”经费说明 (with a variant that adds 部门预算执行) — in several
                             heading schemes, prose and flattened tables (cells split by " | ",
                             runs of spaces or a tab; the unit only in "单位：万元" or a header)
    out/truth.jsonl          one object per report: file, title, place, department, year, report
                             type, encoding and every figure printed, exactly as printed, with its
                             item key, stage, qualifiers, value and unit; the identities it satisfies
    out/questions.jsonl      questions in the format `qa.quality.evaluate` reads (literal, paraphrase,
                             scoped, derived, unanswerable), each naming its department and year

Everything comes from `random.Random` instances seeded from the seed (a string seed is hashed
with SHA-512 inside `random`, so runs and machines agree): same seed, same bytes.  A
department's figures for a year are a pure function of (seed, place, department, year), so a
2020 report's 上年 figures are the 2019 report's figures.  Money is held in 分 as integers and
is a multiple of 100元 whenever a report prints it in 万元, so the identities 整体 = 基本 + 项目,
基本 = 人员 + 公用, 三公 = 出国 + 公车 + 接待 and 公车 = 购置 + 运维 hold exactly in Decimal on
the printed figures.  Reports and both JSON-lines files are streamed to disk one report at a
time, so memory stays flat as the corpus grows.

Place names come from two syllable tables; pairs that jieba's dictionary knows as words or
places (it lists most real ones) are left out, as are the stems of the hand-written test
reports.  Real place names may still slip through: the tables make them rare, not impossible.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from qa.domain.numbers import MONEY_SCALE

YEARS = tuple(range(2017, 2024))
WAN = 1_000_000  # 分 in one 万元
TWO = Decimal("0.01")
CN_DIGITS = "零一二三四五六七八九十"

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

_SYL1 = "云青枫岚湘澧桐柏松梧竹兰芷苍翠碧丹紫金宁安清明灵凤鹤鹿雁霞雪泉沅潇梅杏荷萍蓉茗岫岑崇汀澄漓溆涓琅珑瑶璃"
_SYL2 = "岭峰林溪源江川河湖泽浦塘湾洲岗坪原山冈谷阳宁安丰华庄城水石门台桥口"
# Pairs of the tables that jieba 0.42's dict.txt holds as X, X县, X市 or X区 (words and real
# places), then the stems of tests/data/reports.
_BLOCKED_PAIRS = (
    "云岭云林云溪云江云河云岗云山云冈云阳云安云城云水云门云台青峰青溪青江青川青河青浦青洲青岗青原青山青冈"
    "青阳青城青水青石青口枫林枫溪枫城枫桥岚山湘江湘水湘桥澧水桐林桐城柏林柏城松岭松林松溪松江松川松岗松原"
    "松山松冈松阳松城松石松门松口竹林竹溪竹山竹桥兰溪兰江兰河兰湖兰坪兰山兰阳芷江苍溪苍山碧水丹溪丹江丹河"
    "丹湖丹山丹阳丹宁丹水紫阳金溪金源金江金川金河金湖金浦金湾金山金谷金阳金安金丰金华金城金水金石金门金台"
    "金口宁江宁河宁冈宁阳宁安宁城安溪安源安江安泽安山安阳安宁安丰安城安桥清溪清源清江清川清河清湖清浦清塘"
    "清原清阳清宁清丰清华清城清水清口明溪明山明水明石灵江灵川灵山灵谷灵石灵台凤林凤洲凤山凤冈凤阳凤城凤台"
    "鹤峰鹤岗鹤山鹤城鹿谷鹿城雁峰雁江雁湖雁山雁城雁门霞浦霞山霞石雪峰雪原雪山雪谷雪城雪水泉林泉源泉河泉山"
    "泉城泉水泉石泉台沅江沅水潇水梅林梅江梅山杏林杏山荷泽荷塘萍水蓉城岑溪崇川崇山崇阳崇宁崇安汀江汀洲澄江"
    "澄城漓江漓水溆浦瑶山瑶华瑶台"
    "湘源岚溪澧江"
)
_BLOCKED = frozenset(_BLOCKED_PAIRS[i : i + 2] for i in range(0, len(_BLOCKED_PAIRS), 2))
STEMS = tuple(a + b for a in _SYL1 for b in _SYL2 if a != b and a + b not in _BLOCKED)


@dataclass(frozen=True)
class Indicator:
    """A performance indicator: table row name, the words before its figure, unit, range."""

    row: str
    prose: str
    unit: str
    lo: float
    hi: float
    dec: int = 0
    ask: str = ""  # an everyday question body ("新修了多少公里农村公路")


@dataclass(frozen=True)
class Department:
    name: str
    shorts: tuple[str, ...]  # short forms whose characters stand in name in order (卫健局)
    scale: tuple[float, float]  # 部门整体支出 range, 万元
    func: str  # 功能分类 main 类
    items: tuple[str, ...]  # 款/项 under the main 类
    duties: str  # {area} = 全县 / 全市 / 全区
    offices: tuple[str, ...]
    units: tuple[str, ...]  # 二级单位; {lv} = 县 / 市 / 区
    projects: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    served: str = "群众"


_I = Indicator
DEPARTMENTS: tuple[Department, ...] = (
    Department(
        "教育局",
        (),
        (18000, 90000),
        "教育支出",
        ("教育管理事务", "学前教育", "小学教育", "初中教育", "高中教育", "教育费附加安排的支出"),
        "贯彻执行国家教育工作方针政策和法律法规，拟订{area}教育事业发展规划并组织实施；统筹管理学前教育、义务教育、"
        "高中阶段教育和职业教育；负责教育经费的统筹管理和学生资助工作；指导学校安全稳定、"
        "教师队伍建设和教育督导评估等工作。",
        ("办公室", "计划财务股", "基础教育股", "人事股", "安全稳定股", "教育督导室", "学生资助管理中心"),
        ("{lv}教育研究室", "{lv}教师进修学校", "{lv}学生资助管理中心", "{lv}教育技术装备站"),
        (
            "义务教育学生营养改善计划",
            "学前教育资助资金",
            "中小学校舍维修改造",
            "中小学教师培训经费",
            "家庭经济困难学生生活补助",
            "薄弱学校改善办学条件",
            "教育信息化建设",
        ),
        (
            _I(
                "营养改善计划受益学生", "营养改善计划惠及农村义务教育学生", "人", 3000, 42000, 0, "营养餐惠及了多少学生"
            ),
            _I("资助家庭经济困难学生", "全年资助家庭经济困难学生", "人次", 800, 9000, 0, "资助了多少人次困难学生"),
            _I("校舍维修改造面积", "完成中小学校舍维修改造", "平方米", 2000, 38000, 0, "维修改造了多少平方米校舍"),
            _I("培训中小学教师", "组织培训中小学教师", "人次", 300, 5200, 0, "培训了多少人次老师"),
            _I("义务教育巩固率", "九年义务教育巩固率达到", "%", 94, 99.8, 1, "义务教育巩固率是多少"),
        ),
        "学生家长",
    ),
    Department(
        "卫生健康局",
        ("卫健局",),
        (2500, 12000),
        "卫生健康支出",
        ("卫生健康管理事务", "基层医疗卫生机构", "公共卫生", "计划生育事务", "中医药"),
        "贯彻执行国家卫生健康工作方针政策和法律法规，拟订{area}卫生健康事业发展规划并组织实施；"
        "协调推进深化医药卫生体制改革；"
        "制定并组织落实疾病预防控制规划、免疫规划；负责计划生育管理和服务工作；指导基层医疗卫生、"
        "妇幼健康服务体系和全科医生队伍建设。",
        ("办公室", "规划财务股", "医政医管股", "基层卫生与妇幼健康股", "疾病预防控制股", "综合监督股", "老龄健康股"),
        ("{lv}疾病预防控制中心", "{lv}卫生计生综合监督执法局", "{lv}妇幼保健计划生育服务中心", "{lv}健康教育所"),
        (
            "基本公共卫生服务项目",
            "计划生育奖励扶助资金",
            "重大疾病防控经费",
            "乡村医生补助",
            "卫生监督执法经费",
            "家庭医生签约服务经费",
        ),
        (
            _I("居民电子健康档案建档率", "居民电子健康档案建档率达到", "%", 85, 96, 1, "健康档案建档率是多少"),
            _I(
                "65岁及以上老年人健康管理人数",
                "65岁及以上老年人健康管理人数",
                "人",
                6000,
                42000,
                0,
                "管了多少老年人的健康",
            ),
            _I("村卫生室标准化建设", "完成村卫生室标准化建设", "个", 12, 90, 0, "建了多少个标准化村卫生室"),
            _I("乡村医生岗位培训", "开展乡村医生岗位培训", "人次", 120, 900, 0, "培训了多少人次乡村医生"),
            _I(
                "计划生育奖励扶助对象",
                "为符合条件的计划生育家庭发放奖励扶助金",
                "人",
                1200,
                9000,
                0,
                "多少人领到了计生奖励扶助金",
            ),
        ),
    ),
    Department(
        "水利局",
        (),
        (3000, 16000),
        "农林水支出",
        ("水利行政运行", "水利工程建设", "水利工程运行与维护", "防汛", "农村人畜饮水", "水土保持"),
        "负责保障水资源的合理开发利用，拟订{area}水利发展规划和政策；负责水资源保护和节约用水工作；负责防治水旱灾害，"
        "承担防汛抗旱指挥部的具体工作；指导水利设施、水域及其岸线的管理与保护；负责水土保持和农村水利工作。",
        ("办公室", "规划计划股", "水旱灾害防御股", "河湖管理股", "农村水利股", "财务审计股"),
        ("{lv}水利工程建设管理站", "{lv}水土保持站", "{lv}防汛抗旱服务中心", "{lv}水库管理所"),
        (
            "农村饮水安全巩固提升工程",
            "中小河流治理",
            "小型水库除险加固",
            "防汛抗旱经费",
            "水土保持综合治理",
            "河长制工作经费",
        ),
        (
            _I("新建改造农村集中供水工程", "新建和改造农村集中供水工程", "处", 6, 48, 0, "新建改造了几处集中供水工程"),
            _I("中小河流治理长度", "完成中小河流治理", "公里", 3, 40, 1, "治理了多少公里河道"),
            _I("除险加固小型水库", "除险加固小型水库", "座", 2, 18, 0, "加固了几座小水库"),
            _I(
                "巩固提升农村饮水人口",
                "解决和巩固提升农村饮水安全人口",
                "人",
                5000,
                68000,
                0,
                "多少人的饮水问题得到解决",
            ),
        ),
    ),
    Department(
        "农业农村局",
        (),
        (1500, 9000),
        "农林水支出",
        ("农业农村行政运行", "农业生产发展", "农村合作经济", "农田建设", "农业资源保护修复与利用"),
        "贯彻落实党中央关于“三农”工作的方针政策和决策部署，统筹研究和组织实施{area}“三农”工作发展战略和重大政策；"
        "负责种植业、畜牧业、渔业、农业机械化等农业各产业的监督管理；负责农田建设管理、"
        "农产品质量安全监督管理和动植物疫病防控。",
        ("办公室", "计划财务股", "农村经济经营管理股", "种植业管理股", "畜牧水产股", "农田建设管理股"),
        ("{lv}农业技术推广中心", "{lv}畜牧水产事务中心", "{lv}农机事务中心", "{lv}农产品质量安全检测站"),
        (
            "高标准农田建设补助资金",
            "农机购置补贴资金",
            "动物防疫经费",
            "农村人居环境整治奖补资金",
            "耕地地力保护补贴",
            "农产品质量安全检测经费",
        ),
        (
            _I("建设高标准农田", "全年建成高标准农田", "亩", 5000, 42000, 0, "建了多少亩高标准农田"),
            _I("补贴农机具", "落实农机购置补贴机具", "台", 120, 1600, 0, "补贴了多少台农机"),
            _I(
                "农产品质量安全例行监测抽检",
                "开展农产品质量安全例行监测抽检",
                "批次",
                300,
                2600,
                0,
                "农产品抽检了多少批次",
            ),
            _I("农村户厕改造", "完成农村户厕改造", "户", 800, 9000, 0, "改了多少户农村厕所"),
            _I("重大动物疫病免疫密度", "重大动物疫病集中免疫密度保持在", "%", 90, 99.5, 1, "动物疫病免疫密度是多少"),
        ),
        "服务对象",
    ),
    Department(
        "交通运输局",
        ("交通局",),
        (2500, 24000),
        "交通运输支出",
        ("交通运输行政运行", "公路建设", "公路养护", "公路运输管理", "车辆购置税用于农村公路建设支出"),
        "贯彻执行国家和省、市交通运输方针政策和法律法规，拟订{area}综合交通运输发展规划并组织实施；负责农村公路建设、"
        "养护和管理；"
        "负责道路运输、水路运输市场监管；指导交通运输安全生产和应急管理工作。",
        ("办公室", "规划建设股", "公路管理股", "运输管理股", "安全监督股", "财务审计股"),
        ("{lv}公路建设养护中心", "{lv}交通运输综合行政执法大队", "{lv}农村公路管理站"),
        ("农村公路建设", "公路养护工程", "危桥改造", "农村客运补贴", "交通安全设施建设", "超限超载治理经费"),
        (
            _I("新改建农村公路", "全年新改建农村公路", "公里", 20, 260, 1, "新修了多少公里农村公路"),
            _I("完成危桥改造", "完成危桥改造", "座", 2, 26, 0, "改造了几座危桥"),
            _I("公路养护里程", "全年养护县乡村道", "公里", 300, 2800, 0, "养护了多少公里公路"),
            _I("通客车建制村", "实现通客车的建制村达到", "个", 60, 320, 0, "有多少个村通了客车"),
        ),
    ),
    Department(
        "自然资源局",
        (),
        (1500, 8000),
        "自然资源海洋气象等支出",
        ("自然资源行政运行", "自然资源规划及管理", "土地资源调查", "土地资源储备支出", "地质灾害防治"),
        "履行{area}全民所有土地、矿产、森林等自然资源资产所有者职责和国土空间用途管制职责；负责自然资源调查监测评价、"
        "统一确权登记和合理开发利用；负责国土空间规划编制和实施；负责耕地保护和地质灾害防治工作。",
        ("办公室", "国土空间规划股", "耕地保护股", "不动产登记股", "执法监察股", "财务股"),
        ("{lv}不动产登记中心", "{lv}土地储备中心", "{lv}自然资源调查监测中心"),
        ("国土空间规划编制", "不动产登记经费", "地质灾害防治", "土地整治项目", "耕地保护补偿", "自然资源执法监察"),
        (
            _I("办理不动产登记", "全年办理各类不动产登记", "件", 4000, 36000, 0, "办了多少件不动产登记"),
            _I("完成土地整治", "完成土地整治", "亩", 800, 12000, 0, "整治了多少亩土地"),
            _I("巡查地质灾害隐患点", "汛期巡查地质灾害隐患点", "处", 40, 380, 0, "巡查了多少处地灾隐患点"),
            _I("新增耕地", "实施土地整治新增耕地", "亩", 100, 2600, 0, "新增了多少亩耕地"),
        ),
    ),
    Department(
        "民政局",
        (),
        (3000, 18000),
        "社会保障和就业支出",
        ("民政管理事务", "社会福利", "最低生活保障", "特困人员救助供养", "临时救助", "残疾人事业"),
        "贯彻执行民政工作的方针政策和法律法规，拟订{area}民政事业发展规划；负责城乡最低生活保障、"
        "特困人员救助供养和临时救助工作；"
        "统筹推进养老服务体系建设；负责社会组织登记管理、婚姻登记、殡葬管理和儿童福利工作。",
        ("办公室", "社会救助股", "养老服务股", "社会事务股", "基层政权和社区建设股", "规划财务股"),
        ("{lv}社会福利院", "{lv}救助管理站", "{lv}殡葬服务中心", "{lv}低收入家庭认定指导中心"),
        (
            "城乡最低生活保障资金",
            "特困人员救助供养资金",
            "临时救助资金",
            "养老服务体系建设",
            "残疾人两项补贴",
            "孤儿基本生活保障",
        ),
        (
            _I("保障城乡低保对象", "全年保障城乡低保对象", "人", 3000, 36000, 0, "保障了多少低保对象"),
            _I("救助供养特困人员", "救助供养特困人员", "人", 300, 4200, 0, "供养了多少特困人员"),
            _I("实施临时救助", "实施临时救助", "人次", 300, 6000, 0, "临时救助了多少人次"),
            _I("新建社区养老服务站", "新建社区居家养老服务站", "个", 3, 40, 0, "建了几个养老服务站"),
        ),
        "服务对象",
    ),
    Department(
        "文化旅游局",
        ("文旅局",),
        (800, 5000),
        "文化旅游体育与传媒支出",
        ("文化和旅游行政运行", "群众文化", "文物保护", "旅游宣传", "广播电视"),
        "贯彻落实党的文化工作方针政策，拟订{area}文化和旅游发展规划并组织实施；"
        "统筹推进公共文化服务体系建设和旅游业发展；"
        "负责文物保护和非物质文化遗产保护传承；负责文化市场综合执法和旅游市场监管。",
        ("办公室", "艺术股", "公共服务股", "文物股", "旅游产业发展股", "市场管理股"),
        ("{lv}文化馆", "{lv}图书馆", "{lv}文物管理所", "{lv}文化市场综合执法大队"),
        (
            "送戏下乡惠民演出",
            "公共文化场馆免费开放",
            "文物保护维修",
            "旅游宣传推介",
            "农家书屋补充更新",
            "全民健身活动",
        ),
        (
            _I("送戏下乡演出", "全年组织送戏下乡演出", "场", 60, 420, 0, "送戏下乡演了多少场"),
            _I("接待游客", "全年接待游客", "万人次", 30, 900, 1, "来了多少游客"),
            _I("旅游综合收入", "实现旅游综合收入", "亿元", 2, 80, 2, "旅游收入有多少"),
            _I("公共文化场馆接待群众", "公共文化场馆免费开放接待群众", "人次", 20000, 300000, 0, "场馆接待了多少人次"),
            _I("维修文物保护单位", "完成文物保护单位维修", "处", 2, 16, 0, "修了几处文物"),
        ),
    ),
    Department(
        "市场监督管理局",
        ("市场监管局",),
        (1200, 6000),
        "一般公共服务支出",
        ("市场监督管理行政运行", "市场主体管理", "食品安全监管", "质量安全监管", "市场监管执法"),
        "负责{area}市场综合监督管理，统一登记市场主体并建立信息公示和共享机制；组织市场监管综合执法工作；"
        "负责产品质量安全、特种设备安全和食品安全监督管理；统一管理计量、标准化、检验检测和认证认可工作。",
        ("办公室", "登记注册股", "信用监督管理股", "食品安全协调股", "特种设备安全监察股", "计量标准股"),
        ("{lv}市场监管综合行政执法大队", "{lv}检验检测中心", "{lv}个体私营经济服务中心"),
        (
            "食品安全监督抽检",
            "特种设备安全监察",
            "市场主体登记及信用监管",
            "计量检定和标准化",
            "12315平台运行",
            "综合行政执法装备购置",
        ),
        (
            _I("食品安全监督抽检", "全年完成食品安全监督抽检", "批次", 400, 3600, 0, "食品抽检了多少批次"),
            _I("新增市场主体", "全年新增各类市场主体", "户", 800, 9000, 0, "新增了多少户市场主体"),
            _I("特种设备定期检验率", "在用特种设备定期检验率", "%", 95, 99.9, 1, "特种设备检验率是多少"),
            _I("立案查处违法案件", "立案查处各类违法案件", "件", 40, 420, 0, "查了多少个违法案件"),
            _I("新登记企业", "其中新登记企业", "家", 200, 2600, 0, "新开了多少家企业"),
        ),
    ),
    Department(
        "生态环境局",
        (),
        (1500, 9000),
        "节能环保支出",
        ("环境保护管理事务", "环境监测与监察", "大气污染防治", "水体污染防治", "土壤污染防治", "农村环境保护"),
        "负责建立健全{area}生态环境基本制度，统筹协调和监督管理重大生态环境问题；负责大气、水、土壤、噪声、"
        "固体废物等污染防治的"
        "监督管理；负责生态环境准入和环境影响评价审批；负责生态环境监测和统一监督执法。",
        ("办公室", "综合法规股", "污染防治股", "自然生态保护股", "环境影响评价股", "财务股"),
        ("{lv}生态环境保护综合行政执法大队", "{lv}生态环境监测站"),
        (
            "大气污染防治专项",
            "水污染防治及饮用水水源地保护",
            "土壤污染防治",
            "生态环境监测能力建设",
            "农村环境综合整治",
        ),
        (
            _I("空气质量优良天数比例", "空气质量优良天数比例为", "%", 82, 98, 1, "空气优良天数比例是多少"),
            _I("生态环境执法检查", "开展生态环境执法检查", "家次", 300, 2400, 0, "执法检查了多少家次"),
            _I("新建乡镇污水处理设施", "新建乡镇污水处理设施", "座", 2, 20, 0, "建了几座乡镇污水处理设施"),
            _I("建设项目环评审批", "完成建设项目环境影响评价审批", "项", 20, 180, 0, "审批了多少个项目的环评"),
        ),
    ),
    Department(
        "财政局",
        (),
        (1500, 7000),
        "一般公共服务支出",
        ("财政事务行政运行", "预算改革业务", "财政国库业务", "财政监察", "信息化建设"),
        "贯彻执行财税方针政策和法律法规，拟订{area}财政发展规划和财政政策；承担本级各项财政收支管理责任，"
        "编制年度预决算草案并组织执行；"
        "负责国库集中收付和政府非税收入管理；负责预算绩效管理和财政监督工作。",
        ("办公室", "预算股", "国库股", "综合股", "绩效管理股", "财政监督股"),
        ("{lv}财政事务中心", "{lv}财政投资评审中心", "{lv}国库集中支付核算中心"),
        ("财政信息化建设", "预算绩效评价", "惠民惠农财政补贴资金“一卡通”管理", "财政投资评审", "乡镇财政所建设"),
        (
            _I("惠民惠农补贴资金发放", "通过“一卡通”发放惠民惠农补贴资金", "亿元", 1, 12, 2, "一卡通发了多少补贴"),
            _I("重点项目绩效评价", "组织开展重点项目绩效评价", "个", 8, 60, 0, "评价了多少个项目"),
            _I("财政投资评审审减金额", "财政投资评审审减金额", "万元", 300, 9000, 2, "评审审减了多少钱"),
            _I("国库集中支付业务", "办理国库集中支付业务", "笔", 20000, 160000, 0, "办了多少笔国库支付业务"),
        ),
        "预算单位",
    ),
    Department(
        "住房和城乡建设局",
        ("住建局",),
        (2000, 15000),
        "城乡社区支出",
        ("城乡社区管理事务", "城乡社区规划与管理", "城乡社区公共设施", "城乡社区环境卫生", "建设市场管理与监督"),
        "贯彻执行住房和城乡建设方针政策，拟订{area}住房保障、城镇建设和建筑业发展规划；"
        "负责城镇老旧小区改造和保障性住房建设；"
        "负责建筑工程质量安全监管和建筑市场监管；指导城市市政公用设施建设和村镇建设。",
        ("办公室", "住房保障股", "城市建设股", "村镇建设股", "建筑业管理股", "计划财务股"),
        ("{lv}住房保障服务中心", "{lv}建设工程质量安全监督站", "{lv}市政设施维护中心"),
        ("城镇老旧小区改造", "棚户区改造", "农村危房改造", "市政道路维护", "建筑工程质量安全监管"),
        (
            _I("改造城镇老旧小区", "完成城镇老旧小区改造", "个", 4, 60, 0, "改造了多少个老旧小区"),
            _I("棚户区改造", "完成棚户区改造", "套", 100, 3200, 0, "改造了多少套棚户区住房"),
            _I("农村危房改造", "完成农村危房改造", "户", 80, 1800, 0, "改了多少户危房"),
            _I("维修市政道路", "维修市政道路", "公里", 3, 60, 1, "修了多少公里市政道路"),
        ),
    ),
    Department(
        "人力资源和社会保障局",
        ("人社局",),
        (1500, 9000),
        "社会保障和就业支出",
        ("人力资源和社会保障管理事务", "就业补助", "行政事业单位养老支出", "社会保险经办机构"),
        "贯彻执行人力资源和社会保障方针政策，拟订{area}就业创业、社会保险和人才工作规划并组织实施；"
        "负责促进就业和职业技能培训；"
        "统筹建立覆盖城乡的社会保障体系；负责劳动保障监察和劳动人事争议调解仲裁。",
        ("办公室", "就业促进股", "职业能力建设股", "社会保险股", "劳动关系股", "规划财务股"),
        ("{lv}就业服务中心", "{lv}社会保险服务中心", "{lv}劳动保障监察大队", "{lv}劳动人事争议仲裁院"),
        ("就业专项资金", "职业技能提升行动", "城乡居民养老保险经办", "劳动保障监察", "公益性岗位补贴"),
        (
            _I("城镇新增就业", "全年城镇新增就业", "人", 1200, 12000, 0, "新增了多少就业"),
            _I("职业技能培训", "开展职业技能培训", "人次", 800, 12000, 0, "职业技能培训了多少人次"),
            _I("开发公益性岗位", "开发公益性岗位", "个", 60, 900, 0, "开发了多少个公益性岗位"),
            _I("追回拖欠农民工工资", "为农民工追回被拖欠工资", "万元", 80, 2600, 2, "帮农民工追回了多少工资"),
        ),
    ),
    Department(
        "林业局",
        (),
        (800, 5000),
        "农林水支出",
        ("林业和草原行政运行", "森林资源培育", "森林资源管理", "森林生态效益补偿", "林业草原防灾减灾"),
        "负责{area}林业和草原及其生态保护修复的监督管理；组织林业和草原生态保护修复和造林绿化工作；"
        "负责森林资源管理和公益林生态效益补偿；"
        "负责林业有害生物防治和森林防火相关工作。",
        ("办公室", "生态保护修复股", "森林资源管理股", "产业发展股", "计划财务股"),
        ("{lv}林业技术推广站", "{lv}林业有害生物防治检疫站", "{lv}国有林场"),
        ("植树造林", "森林防火", "公益林生态效益补偿", "林业有害生物防治", "天然林保护"),
        (
            _I("完成植树造林", "全年完成植树造林", "亩", 2000, 36000, 0, "种了多少亩树"),
            _I("森林覆盖率", "森林覆盖率达到", "%", 45, 78, 2, "森林覆盖率是多少"),
            _I("林业有害生物防治", "完成林业有害生物防治", "亩", 3000, 60000, 0, "防治了多少亩林业病虫害"),
            _I("发放生态效益补偿资金", "兑现公益林生态效益补偿资金", "万元", 100, 3000, 2, "发了多少生态补偿资金"),
        ),
    ),
    Department(
        "统计局",
        (),
        (300, 1600),
        "一般公共服务支出",
        ("统计信息事务行政运行", "专项统计业务", "专项普查活动", "统计抽样调查", "统计信息化建设"),
        "组织实施{area}统计调查和统计分析，发布统计信息；组织实施人口、经济、农业等重大国情国力普查；"
        "负责统计数据质量管理和统计执法检查；管理联网直报企业统计工作。",
        ("办公室", "综合核算股", "工业交通能源统计股", "农村统计股", "统计执法监督股"),
        ("{lv}普查中心", "{lv}城乡社会经济调查队"),
        ("普查工作经费", "统计执法检查", "统计信息化建设", "住户调查", "统计年鉴编印"),
        (
            _I("完成统计调查项目", "全年完成统计调查项目", "项", 18, 80, 0, "做了多少项统计调查"),
            _I("联网直报企业", "管理联网直报企业", "家", 120, 900, 0, "有多少家联网直报企业"),
            _I("住户调查样本", "完成住户调查样本", "户", 180, 900, 0, "调查了多少户住户"),
            _I("统计执法检查", "开展统计执法检查", "家", 10, 90, 0, "执法检查了多少家企业"),
        ),
        "服务对象",
    ),
    Department(
        "司法局",
        (),
        (500, 3000),
        "公共安全支出",
        ("司法行政运行", "普法宣传", "公共法律服务", "社区矫正", "法律援助", "人民调解"),
        "负责{area}全面依法治理的统筹协调，承担法治政府建设有关工作；负责普法宣传、人民调解、社区矫正和法律援助工作；"
        "指导公共法律服务体系建设和律师、公证等法律服务管理。",
        ("办公室", "法治督察股", "普法与依法治理股", "人民参与和促进法治股", "社区矫正管理股"),
        ("{lv}法律援助中心", "{lv}公证处", "{lv}社区矫正中心"),
        ("法律援助经费", "普法宣传经费", "人民调解经费", "社区矫正经费", "公共法律服务平台建设"),
        (
            _I("办理法律援助案件", "办理法律援助案件", "件", 80, 900, 0, "办了多少件法律援助案件"),
            _I("调解矛盾纠纷", "调解各类矛盾纠纷", "件", 300, 4200, 0, "调解了多少件纠纷"),
            _I("开展普法宣传活动", "开展普法宣传活动", "场次", 30, 400, 0, "搞了多少场普法宣传"),
        ),
    ),
    Department(
        "应急管理局",
        ("应急局",),
        (500, 3000),
        "灾害防治及应急管理支出",
        ("应急管理行政运行", "安全监管", "应急管理", "自然灾害救灾及恢复重建"),
        "负责{area}应急管理工作，指导各部门应对安全生产类、自然灾害类等突发事件和综合防灾减灾救灾工作；"
        "负责安全生产综合监督管理和工矿商贸行业安全生产监督管理；组织协调灾害救助工作。",
        ("办公室", "应急指挥股", "危险化学品安全监督管理股", "防灾减灾救灾股", "综合执法股"),
        ("{lv}应急救援指挥中心", "{lv}安全生产执法大队"),
        ("安全生产专项整治", "应急救援队伍建设", "自然灾害救助资金", "应急物资储备", "防灾减灾宣传"),
        (
            _I("安全生产检查", "开展安全生产检查", "家次", 300, 3600, 0, "检查了多少家次企业"),
            _I("组织应急演练", "组织各类应急演练", "场次", 10, 120, 0, "搞了多少场应急演练"),
            _I("受灾群众救助", "救助受灾群众", "人次", 200, 9000, 0, "救助了多少人次受灾群众"),
        ),
    ),
    Department(
        "医疗保障局",
        ("医保局",),
        (600, 3500),
        "卫生健康支出",
        ("医疗保障管理事务", "医疗救助", "财政对基本医疗保险基金的补助", "医疗保障经办事务"),
        "贯彻执行医疗保障方针政策，拟订{area}医疗保险、生育保险、医疗救助等医疗保障制度的实施办法并组织实施；"
        "组织实施医保基金监督管理；推进医保支付方式改革；负责医疗救助和医保经办服务。",
        ("办公室", "待遇保障股", "医药服务管理股", "基金监管股", "规划财务股"),
        ("{lv}医疗保障事务中心",),
        ("医疗救助资金", "医保基金监管", "医保信息化建设", "医保经办服务"),
        (
            _I("城乡居民医保参保人数", "城乡居民基本医疗保险参保", "人", 60000, 600000, 0, "有多少人参加了居民医保"),
            _I("检查定点医药机构", "检查定点医药机构", "家", 60, 600, 0, "检查了多少家定点医药机构"),
            _I("追回医保基金", "追回违规使用医保基金", "万元", 20, 900, 2, "追回了多少医保基金"),
        ),
        "参保群众",
    ),
    Department(
        "退役军人事务局",
        ("退役军人局",),
        (600, 4000),
        "社会保障和就业支出",
        ("退役军人事务管理", "退役安置", "优抚对象补助", "军队移交政府的离退休人员安置"),
        "贯彻执行退役军人工作方针政策和法律法规，负责{area}退役军人思想政治、管理保障和安置工作；"
        "组织实施褒扬激励和优抚工作；负责军人公墓和烈士纪念设施的保护管理。",
        ("办公室", "移交安置股", "就业创业股", "拥军优抚股", "权益维护股"),
        ("{lv}退役军人服务中心", "{lv}军供站"),
        ("优抚对象抚恤补助", "退役士兵安置", "退役军人就业创业培训", "烈士纪念设施维修"),
        (
            _I("发放优抚对象抚恤补助", "发放各类优抚对象抚恤补助", "人", 800, 9000, 0, "给多少优抚对象发了补助"),
            _I("走访慰问退役军人", "走访慰问退役军人和其他优抚对象", "人次", 500, 8000, 0, "慰问了多少人次"),
            _I("接收安置退役士兵", "接收安置退役士兵", "人", 20, 300, 0, "安置了多少退役士兵"),
        ),
        "服务对象",
    ),
)
del _I
# Departments no generated report has: unanswerable questions name them.
ABSENT_DEPARTMENTS = ("公安局", "审计局", "档案局", "科学技术局", "商务局", "体育局")
REPORT_TYPES = ("部门整体支出绩效自评报告", "部门决算说明", "三公经费说明")

# Items an auditor may ask for that a report may not print; the words that must be absent.
ABSENT_ITEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("会议费是多少", ("会议费",)),
    ("培训费花了多少", ("培训费",)),
    ("差旅费支出多少", ("差旅费",)),
    ("政府采购金额是多少", ("政府采购",)),
    ("年末固定资产总额是多少", ("固定资产",)),
    ("物业管理费花了多少", ("物业管理费",)),
    ("电费支出多少", ("电费",)),
    ("政府债务余额多少", ("债务",)),
    ("公务用车购置费是多少", ("购置费", "购置支出")),
    ("年初预算是多少", ("年初预算", "预算数", "年初部门预算")),
    ("机关运行经费是多少", ("机关运行经费",)),
    ("行政编制多少名", ("行政编制",)),
    ("退休人员有多少人", ("退休", "离退休")),
    ("群众满意度是多少", ("满意度",)),
)

# ---------------------------------------------------------------------------------------------
# Places and the corpus plan
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    name: str  # 云岭县 / 青峰市白沙区
    short: str  # how people name it: 云岭县 / 白沙区
    level: str  # 县 / 市 / 区


@dataclass(frozen=True)
class Slot:
    """One report to write: where, which department, which year, what kind."""

    index: int
    place: Place
    dept: Department
    year: int
    kind: int  # index into REPORT_TYPES


def _places(rng: random.Random, count: int) -> list[Place]:
    stems = list(STEMS)
    rng.shuffle(stems)
    cities = max(2, count // 3)
    city_stems, stems = stems[:cities], stems[cities:]
    places: list[Place] = []
    for stem in stems[:count]:
        roll = rng.random()
        if roll < 0.6:
            places.append(Place(stem + "县", stem + "县", "县"))
        elif roll < 0.75:
            places.append(Place(stem + "市", stem + "市", "市"))
        else:
            city = rng.choice(city_stems) + "市"
            places.append(Place(city + stem + "区", stem + "区", "区"))
    return places


def plan(reports: int, seed: int) -> list[Slot]:
    """The reports of a corpus: unique (place, department, year), every department, year and
    kind present as soon as the count allows, and departments that publish in several years."""
    rng = random.Random(f"plan|{seed}")
    n_places = max(3, min(-(-reports // 4), 60 + reports // 20, len(STEMS) * 4 // 5))
    places = _places(rng, n_places)
    depts = list(range(len(DEPARTMENTS)))
    rng.shuffle(depts)
    years = list(YEARS)
    rng.shuffle(years)
    capacity = len(places) * len(DEPARTMENTS) * len(YEARS)
    if reports > capacity * 0.8:
        raise ValueError(f"at most {int(capacity * 0.8)} reports with {len(places)} places")
    taken: set[tuple[int, int, int]] = set()
    series: list[tuple[int, int]] = []
    slots: list[Slot] = []
    for i in range(reports):
        while True:
            if i < len(depts):
                p, d, y = rng.randrange(len(places)), depts[i], years[i % len(years)]
            elif series and rng.random() < 0.3:  # the same department in another year
                p, d = rng.choice(series)
                y = rng.choice(YEARS)
            else:
                p, d, y = rng.randrange(len(places)), rng.randrange(len(DEPARTMENTS)), rng.choice(YEARS)
            if (p, d, y) not in taken:
                break
        taken.add((p, d, y))
        series.append((p, d))
        kind = i % len(REPORT_TYPES) if i < len(REPORT_TYPES) else rng.choices((0, 1, 2), (45, 30, 25))[0]
        slots.append(Slot(i, places[p], DEPARTMENTS[d], y, kind))
    return slots


# ---------------------------------------------------------------------------------------------
# A department's figures for a year (pure function of seed, place, department, year)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Base:
    """What stays with a department across years."""

    quantum: int  # 分: 10000 (0.01万元) for departments that print 万元, 1 for those that print 元
    total: float  # 万元 in 2017
    growth: float
    basic_share: float
    personnel_share: float
    abroad: bool
    car_run: float
    reception: float
    staff: int
    admin_share: float
    retired_ratio: float
    cars_quota: int


@dataclass(frozen=True)
class Year:
    year: int
    personnel: int
    public: int
    projects: tuple[tuple[str, int], ...]
    basic_b0: int
    project_b0: int
    basic_b1: int
    project_b1: int
    abroad: int
    car_buy: int
    car_run: int
    reception: int
    abroad_b: int
    car_b: int
    reception_b: int
    batches: int
    visitors: int
    staff_admin: int
    staff_inst: int
    staff: int
    retired: int
    cars_quota: int
    cars: int
    other_income: int
    carry_in: int
    carry_out: int
    fiscal_carry_in: int
    own_project: int
    gf_b0: int
    social: int  # 社会保障和就业支出 (pensions) of the 一般公共预算财政拨款支出
    health: int  # 卫生健康支出 (civil servants' medical care)
    housing: int  # 住房保障支出 (housing fund)

    @property
    def basic(self) -> int:
        return self.personnel + self.public

    @property
    def project(self) -> int:
        return sum(a for _, a in self.projects)

    @property
    def total(self) -> int:
        return self.basic + self.project

    @property
    def car(self) -> int:
        return self.car_buy + self.car_run

    @property
    def sangong(self) -> int:
        return self.abroad + self.car + self.reception

    @property
    def sangong_b(self) -> int:
        return self.abroad_b + self.car_b + self.reception_b

    @property
    def budget0(self) -> int:
        return self.basic_b0 + self.project_b0

    @property
    def budget1(self) -> int:
        return self.basic_b1 + self.project_b1

    @property
    def income(self) -> int:  # 本年收入合计
        return self.total + self.carry_out - self.carry_in

    @property
    def fiscal_income(self) -> int:
        return self.income - self.other_income

    @property
    def gf(self) -> int:  # 一般公共预算财政拨款支出
        return self.total - self.own_project


def _q(wan: float, quantum: int) -> int:
    """An amount given in 万元 as 分, rounded to the department's quantum, at least one quantum."""
    return max(quantum, round(wan * WAN / quantum) * quantum)


def _split(rng: random.Random, total: int, parts: int, quantum: int) -> list[int]:
    """total split into parts positive multiples of quantum (total is one)."""
    weights = [rng.uniform(0.4, 3.0) for _ in range(parts)]
    scale = sum(weights)
    out = [max(quantum, round(total * w / scale / quantum) * quantum) for w in weights[:-1]]
    rest = total - sum(out)
    if rest < quantum:  # rounding ate the last part: split evenly instead
        unit = total // quantum
        out = [(unit // parts) * quantum] * (parts - 1)
        rest = total - sum(out)
    return [*out, rest]


def base_of(seed: int, place: Place, dept: Department) -> Base:
    r = random.Random(f"base|{seed}|{place.name}|{dept.name}")
    lo, hi = dept.scale
    total = r.uniform(lo, hi)
    basic_share = r.uniform(0.18, 0.68)
    personnel_share = r.uniform(0.74, 0.93)
    return Base(
        quantum=1 if r.random() < 0.15 else 10000,
        total=total,
        growth=r.uniform(-0.03, 0.09),
        basic_share=basic_share,
        personnel_share=personnel_share,
        abroad=r.random() < 0.14,
        car_run=r.uniform(1.2, 16.0),
        reception=r.uniform(0.6, 9.0),
        staff=max(8, round(total * basic_share * personnel_share / r.uniform(9.0, 16.0))),  # 9–16万元 a head
        admin_share=r.uniform(0.25, 0.6),
        retired_ratio=r.uniform(0.15, 0.6),
        cars_quota=r.randint(2, 9),
    )


def year_of(seed: int, place: Place, dept: Department, year: int) -> Year:
    """The department's figures for year; the same call gives a later report its 上年 figures."""
    b = base_of(seed, place, dept)
    r = random.Random(f"year|{seed}|{place.name}|{dept.name}|{year}")
    q = b.quantum
    total = _q(b.total * (1 + b.growth) ** (year - 2017) * r.uniform(0.88, 1.12), q)
    basic = _q(total / WAN * min(0.85, max(0.1, b.basic_share + r.uniform(-0.04, 0.04))), q)
    basic = min(basic, total - 3 * q)
    personnel = _q(basic / WAN * (b.personnel_share + r.uniform(-0.02, 0.02)), q)
    personnel = min(personnel, basic - q)
    project = total - basic
    names = r.sample(dept.projects, r.randint(3, min(5, len(dept.projects))))
    if r.random() < 0.45:
        names.append("其他项目支出")
    amounts = _split(r, project, len(names), q)
    abroad = _q(r.uniform(1.5, 12.0), q) if b.abroad and r.random() < 0.6 else 0
    car_buy = _q(r.uniform(12.0, 28.0), q) if r.random() < 0.12 else 0
    car_run = _q(b.car_run * r.uniform(0.75, 1.2), q)
    reception = _q(b.reception * r.uniform(0.7, 1.25), q)
    batches = max(4, round(reception / 100 / r.uniform(400, 1400)))
    staff = b.staff
    admin = max(3, round(staff * b.admin_share))
    cars_quota = b.cars_quota
    other = 0 if r.random() < 0.3 else _q(total / WAN * r.uniform(0.002, 0.04), q)
    abroad_b = (
        _q(abroad / WAN * r.uniform(1.0, 1.3), q) if abroad else (_q(r.uniform(2, 6), q) if r.random() < 0.1 else 0)
    )
    own = min(other, project // 2) // q * q
    basic_b1 = basic + _q(basic / WAN * r.uniform(0.0, 0.03), q)
    return Year(
        year=year,
        personnel=personnel,
        public=basic - personnel,
        projects=tuple(zip(names, amounts, strict=True)),
        basic_b0=min(_q(basic / WAN * r.uniform(0.9, 1.02), q), basic_b1),
        project_b0=_q(project / WAN * r.uniform(0.55, 1.0), q),
        basic_b1=basic_b1,
        project_b1=project + _q(project / WAN * r.uniform(0.01, 0.16), q),
        abroad=abroad,
        car_buy=car_buy,
        car_run=car_run,
        reception=reception,
        abroad_b=abroad_b,
        car_b=_q((car_buy + car_run) / WAN * r.uniform(0.95, 1.3), q),
        reception_b=_q(reception / WAN * r.uniform(0.92, 1.35), q),
        batches=batches,
        visitors=round(batches * r.uniform(2.5, 7.5)),
        staff_admin=admin,
        staff_inst=staff - admin,
        staff=staff - r.randint(0, max(1, staff // 12)),
        retired=max(2, round(staff * b.retired_ratio) + r.randint(-3, 3)),
        cars_quota=cars_quota,
        cars=max(1, cars_quota - r.randint(0, 1)),
        other_income=other,
        carry_in=_q(total / WAN * r.uniform(0.0, 0.08), q),
        carry_out=_q(total / WAN * r.uniform(0.0, 0.06), q),
        fiscal_carry_in=_q(total / WAN * r.uniform(0.0, 0.05), q),
        own_project=own,
        gf_b0=_q((total - own) / WAN * r.uniform(0.62, 1.0), q),
        social=_q(personnel / WAN * r.uniform(0.08, 0.14), q),
        health=_q(personnel / WAN * r.uniform(0.03, 0.06), q),
        housing=_q(personnel / WAN * r.uniform(0.05, 0.09), q),
    )


# ---------------------------------------------------------------------------------------------
# Printing figures and recording them
# ---------------------------------------------------------------------------------------------


def pct(part: int | Decimal, whole: int | Decimal, places: int = 2) -> Decimal:
    return (Decimal(part) / Decimal(whole) * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "0" <= c <= "9" or c == "." else c for c in text)


@dataclass(frozen=True)
class Money:
    """How one report prints money: its unit, separators and how it prints nothing."""

    unit: str  # 万元 or 元
    sep: bool
    zero: str  # "0元", "0.00万元", "0万元"

    def number(self, fen: int) -> str:
        value = Decimal(fen) / (WAN if self.unit == "万元" else 100)
        return f"{value.quantize(TWO):,.2f}" if self.sep else f"{value.quantize(TWO):.2f}"

    def value(self, fen: int) -> Decimal:
        return (Decimal(fen) / (WAN if self.unit == "万元" else 100)).quantize(TWO)

    def text(self, fen: int) -> str:
        return self.zero if fen == 0 else self.number(fen) + self.unit


@dataclass
class Fig:
    """One printed figure: what it measures and exactly how it is printed."""

    key: str  # the item (整体支出, 公务接待费, indicator:送戏下乡演出 …)
    stage: str  # 决算, 年初预算, 调整后预算, 预算, 上年决算, 增减, 增减率, 占比, 执行率, 目标, 完成 …
    label: str
    text: str
    value: str | None
    unit: str | None
    year: int
    qualifiers: tuple[str, ...] = ()
    cell: bool = False
    column: str = ""
    asks: tuple[tuple[str, str], ...] = ()  # (kind, question body)
    line: str = ""  # the line that prints it
    at: int = -1  # where in the line

    @property
    def evidence(self) -> str:
        """The clause holding the figure (with the clause before when its own has no words),
        or a table row up to the cell: a substring of the passage that answers."""
        text, at = self.line, self.at
        end = at + len(self.text)
        if self.cell:
            return text[:end].strip()
        start = _clause_start(text, at)
        while start > 0 and sum(1 for c in text[start:at] if "\u4e00" <= c <= "\u9fff") < 4:
            start = _clause_start(text, start - 1)  # "占12.6%": take the clause before too
        return text[start:end].strip()

    def truth(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "key": self.key,
            "stage": self.stage,
            "label": self.label,
            "text": self.text,
            "value": self.value,
            "unit": self.unit,
            "year": self.year,
            "qualifiers": list(self.qualifiers),
        }
        if self.cell:
            row["cell"] = True
            row["column"] = self.column
        return row


@dataclass
class Derived:
    body: str
    answer: str
    evidence: str
    inputs: tuple[str, ...]
    formula: str
    unit: str | None = None


BREAKS = "，。；：:、！？"


class Writer:
    """Lines of a report and the figures in them, in order; every figure is located in the line
    that prints it, which gives its evidence (the clause, or the table row up to the cell)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.figs: list[Fig] = []
        self.derived: list[Derived] = []
        self._pending: list[Fig] = []

    def add(self, fig: Fig) -> str:
        self._pending.append(fig)
        self.figs.append(fig)
        return fig.text

    def take_pending(self) -> list[Fig]:
        pending, self._pending = self._pending, []
        return pending

    def line(self, text: str = "", figs: list[Fig] | None = None) -> None:
        cursor = 0
        for fig in self._pending if figs is None else figs:
            fig.at = _locate(text, fig.text, cursor)
            fig.line = text
            cursor = fig.at + len(fig.text)
        if figs is None:
            self._pending = []
        self.lines.append(text)

    def text(self) -> str:
        if self._pending:
            raise AssertionError(f"figures never printed: {[f.text for f in self._pending]}")
        return "\n".join(self.lines).rstrip("\n") + "\n"


def _clause_start(text: str, at: int) -> int:
    """Index after the clause break (，。；：、！？) before position at, or 0."""
    i = at - 1
    while i >= 0 and text[i] not in BREAKS:
        i -= 1
    return i + 1


def _locate(line: str, text: str, start: int) -> int:
    at = line.find(text, start)
    while at >= 0:
        before = line[at - 1] if at else ""
        after = line[at + len(text)] if at + len(text) < len(line) else ""
        if not (before and (before.isdigit() or before in ".,．")) and not (
            after and text[-1].isdigit() and (after.isdigit() or after in ".．")
        ):
            return at
        at = line.find(text, at + 1)
    raise AssertionError(f"figure {text!r} not in line {line!r}")


# ---------------------------------------------------------------------------------------------
# Report context and shared pieces
# ---------------------------------------------------------------------------------------------


def cn(n: int) -> str:
    """一 … 二十 for headings."""
    if n <= 10:
        return CN_DIGITS[n]
    return ("十" if n < 20 else CN_DIGITS[n // 10] + "十") + (CN_DIGITS[n % 10] if n % 10 else "")


class Headings:
    """One report's numbering: 一、 / （一） / 1. or 1、 / (1) or ①."""

    def __init__(self, r: random.Random) -> None:
        self.two = r.choice(("（{}）", "（{}）", "（{}）", "({})"))
        self.three = r.choice(("{}.", "{}、", "{}．"))
        self.four = r.choice(("({})", "（{}）", "circled"))

    def h1(self, i: int, title: str) -> str:
        return f"{cn(i)}、{title}"

    def h2(self, i: int, title: str) -> str:
        return self.two.format(cn(i)) + title

    def n3(self, i: int) -> str:
        return self.three.format(i)

    def n4(self, i: int) -> str:
        return "①②③④⑤⑥⑦⑧⑨⑩"[i - 1] if self.four == "circled" else self.four.format(i)


@dataclass
class Report:
    """Everything one renderer needs."""

    r: random.Random
    slot: Slot
    cur: Year
    prev: Year
    money: Money
    w: Writer
    h: Headings
    prev_report: bool  # the corpus holds this department's report for the year before
    sep_table: str = " | "
    bare_zero: bool = False  # tables print nothing spent as "0" rather than "0.00"

    @property
    def y(self) -> int:
        return self.slot.year

    @property
    def py(self) -> int:
        return self.slot.year - 1

    @property
    def org(self) -> str:
        return self.slot.place.name + self.slot.dept.name

    @property
    def area(self) -> str:
        return "全" + self.slot.place.level

    @property
    def lv(self) -> str:
        return self.slot.place.level

    @property
    def peers(self) -> str:
        """兄弟县市 / 兄弟市县 / 兄弟区县: the places a department exchanges visits with."""
        return {"县": "县市", "市": "市县", "区": "区县"}[self.lv]

    @property
    def quantum(self) -> int:
        """分 in the smallest amount this report prints."""
        return 10000 if self.money.unit == "万元" else 1

    def amount(self, wan: float) -> int:
        return _q(wan, self.quantum)

    def budget_for(self, actual: int, low: float) -> int:
        """A budget the actual figure executes at low … 100 % of."""
        q = self.quantum
        return max(actual, -(-round(actual / self.r.uniform(low, 1.0)) // q) * q)

    def derive_difference(self, body: str, a: Fig, b: Fig) -> None:
        """|a - b| in their unit, when both are printed in the same unit."""
        if a.unit != b.unit or a.value is None or b.value is None or a.unit not in ("万元", "元"):
            return
        big, small = sorted((Decimal(a.value), Decimal(b.value)), reverse=True)
        if big == small:
            return
        formula = f"{big} - {small}"
        self.w.derived.append(
            Derived(body, f"{(big - small).quantize(TWO)}{a.unit}", a.evidence, (a.text, b.text), formula)
        )

    @staticmethod
    def dq(up: bool) -> tuple[str, str]:
        """Qualifiers of a change from last year."""
        return ("比上年", "增长" if up else "下降")

    def derive_share(self, body: str, part: Fig, whole: Fig) -> None:
        """part / whole in % to two places; body names which part (公车 → 公务用车购置及运行维护费)."""
        if "公车" in body:
            part = self.last("公务用车购置及运行维护费")
        if part.unit != whole.unit or part.value is None or whole.value is None or not Decimal(whole.value):
            return
        share = pct(Decimal(part.value), Decimal(whole.value))
        self.w.derived.append(
            Derived(body, f"{share}%", part.evidence, (part.text, whole.text), f"{part.value} / {whole.value}")
        )

    def derive_previous(self, body: str, now: Fig, change: Fig) -> None:
        """Last year's figure from this year's and the printed change (比上年减少 X)."""
        if now.unit != change.unit or now.value is None or change.value is None or now.unit not in ("万元", "元"):
            return
        down = "下降" in change.qualifiers
        if not down and "增长" not in change.qualifiers:
            raise AssertionError(f"change without a direction: {change}")
        value = Decimal(now.value) + (Decimal(change.value) if down else -Decimal(change.value))
        formula = f"{now.value} {'+' if down else '-'} {change.value}"
        self.w.derived.append(
            Derived(body, f"{value.quantize(TWO)}{now.unit}", change.evidence, (now.text, change.text), formula)
        )

    def last(self, key: str, stage: str = "决算") -> Fig:
        """The figure of key and stage recorded last."""
        found = [f for f in reversed(self.w.figs) if f.key == key and f.stage == stage]
        return next((f for f in found if not f.cell), found[0])  # prose before a table cell

    # --- figures -------------------------------------------------------------------------
    def m(
        self,
        key: str,
        fen: int,
        label: str = "",
        stage: str = "决算",
        quals: Sequence[str] = (),
        asks: Sequence[tuple[str, str]] = (),
        year: int | None = None,
        money: Money | None = None,
    ) -> str:
        money = money or self.money
        text = money.text(fen)
        value = "0" if fen == 0 and not text[0].isdigit() else str(money.value(fen))
        unit = money.unit if fen else ("万元" if "万" in text else "元")
        if fen == 0:
            value = "0" if text.startswith("0元") or text.startswith("0万") else value
        return self.w.add(
            Fig(key, stage, label or key, text, value, unit, year or self.y, tuple(quals), asks=tuple(asks))
        )

    def n(
        self,
        key: str,
        value: int | Decimal,
        unit: str,
        label: str = "",
        stage: str = "决算",
        quals: Sequence[str] = (),
        asks: Sequence[tuple[str, str]] = (),
        sep: bool | None = None,
        wide: bool = False,
    ) -> str:
        sep = (isinstance(value, int) and value >= 10000) if sep is None else sep
        number = f"{value:,}" if sep else f"{value}"
        if wide:
            number = fullwidth(number)
        return self.w.add(
            Fig(key, stage, label or key, number + unit, str(value), unit, self.y, tuple(quals), asks=tuple(asks))
        )

    def rate(
        self,
        key: str,
        value: Decimal,
        stage: str,
        label: str = "",
        quals: Sequence[str] = (),
        asks: Sequence[tuple[str, str]] = (),
    ) -> str:
        return self.w.add(
            Fig(key, stage, label or key, f"{value}%", str(value), "%", self.y, tuple(quals), asks=tuple(asks))
        )

    def words(self, key: str, text: str, label: str = "") -> str:
        """A figure printed in words ("未发生"): value 0, no unit."""
        return self.w.add(Fig(key, "决算", label or key, text, "0", None, self.y))

    def cell(
        self,
        key: str,
        text: str,
        value: str | None,
        unit: str | None,
        column: str,
        stage: str,
        label: str = "",
        asks: Sequence[tuple[str, str]] = (),
        year: int | None = None,
    ) -> str:
        return self.w.add(
            Fig(key, stage, label or key, text, value, unit, year or self.y, (column,), True, column, tuple(asks))
        )

    def mcell(
        self,
        key: str,
        fen: int,
        column: str,
        stage: str,
        label: str = "",
        asks: Sequence[tuple[str, str]] = (),
        year: int | None = None,
    ) -> str:
        money = self.money
        text = money.number(fen) if fen or not self.bare_zero else "0"
        return self.cell(
            key, text, str(money.value(fen)) if text != "0" else "0", money.unit, column, stage, label, asks, year
        )

    def change(
        self,
        key: str,
        now: int,
        before: int,
        label: str = "",
        asks_amount: Sequence[tuple[str, str]] = (),
        asks_rate: Sequence[tuple[str, str]] = (),
        comparison: str = "比上年",
    ) -> str:
        """ "比上年减少1.96万元，下降15.32%" with both figures recorded."""
        delta = now - before
        if delta == 0:
            return "与上年持平"
        up = delta > 0
        amount = self.m(key, abs(delta), label, "增减", ("比上年", "增长" if up else "下降"), asks_amount)
        rate = self.rate(key, pct(abs(delta), before), "增减率", label, ("比上年", "增长" if up else "下降"), asks_rate)
        return f"{comparison}{'增加' if up else '减少'}{amount}，{'增长' if up else '下降'}{rate}"

    def table(
        self, caption: str | None, unit_line: str | None, header: Sequence[str], rows: Sequence[Sequence[str]]
    ) -> None:
        """A flattened table: caption, unit line, header and rows joined by this report's separator.
        The cells' figures must have been recorded row by row, left to right."""
        w = self.w
        pending = w.take_pending()
        claimed: list[list[Fig]] = []
        for row in rows:
            mine = []
            for cell_text in row:
                if pending and pending[0].text == cell_text:
                    mine.append(pending.pop(0))
            claimed.append(mine)
        if pending:
            raise AssertionError(f"table cells out of order: {[f.text for f in pending]}")
        if caption:
            w.line(caption, [])
        if unit_line:
            w.line(unit_line, [])
        if self.sep_table == "  ":  # aligned with runs of spaces, as text copied from a PDF
            widths = [max(_width(row[i]) for row in [header, *rows]) + 4 for i in range(len(header))]
            texts = [
                "".join(c + " " * (widths[i] - _width(c)) for i, c in enumerate(row)).rstrip()
                for row in [header, *rows]
            ]
        else:
            texts = [self.sep_table.join(row) for row in [header, *rows]]
        w.line(texts[0], [])
        for text, mine in zip(texts[1:], claimed, strict=True):
            w.line(text, mine)


def _width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _ask(*pairs: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    return pairs


SCORE_GRADES = ((90, "优"), (80, "良"), (60, "中"), (0, "差"))


def grade(score: Decimal) -> str:
    return next(g for floor, g in SCORE_GRADES if score >= floor)


# ---------------------------------------------------------------------------------------------
# Shared sections
# ---------------------------------------------------------------------------------------------


def staff_section(rep: Report, style: int) -> None:
    r, cur, w = rep.r, rep.cur, rep.w
    d = rep.slot.dept
    offices = list(r.sample(d.offices, r.randint(4, len(d.offices))))
    units = [u.format(lv=rep.lv) for u in r.sample(d.units, r.randint(1, len(d.units)))]
    ask_staff = _ask(("paraphrase", "实有在职人员多少人"), ("paraphrase", "在职的有多少人"))
    ask_cars = _ask(("paraphrase", "实际有几辆公车"), ("literal", "实有公务用车多少辆"))
    if style == 0:
        w.line(
            f"局机关内设{'、'.join(offices)}共{rep.n('内设机构数', len(offices), '个')}股室，"
            f"下属二级机构{rep.n('二级机构数', len(units), '个')}，分别为{'、'.join(units)}。"
        )
        w.line(
            f"核定行政编制{rep.n('行政编制', cur.staff_admin, '名', asks=_ask(('literal', '核定行政编制多少名')))}、"
            f"事业编制{rep.n('事业编制', cur.staff_inst, '名', asks=_ask(('literal', '事业编制多少名')))}，"
            f"年末实有在职人员{rep.n('在职人员', cur.staff, '人', asks=ask_staff)}，"
            f"退休人员{rep.n('退休人员', cur.retired, '人', asks=_ask(('paraphrase', '退休的有多少人')))}。"
            f"公务用车编制{rep.n('车辆编制数', cur.cars_quota, '辆', asks=_ask(('paraphrase', '编制内能配几辆公车')))}，"
            f"实有公务用车{rep.n('实有车辆', cur.cars, '辆', asks=ask_cars)}。"
        )
    elif style == 1:  # the seed's list
        w.line(f"{rep.h.n3(1)}内设：{'、'.join(offices)}。下属二级机构：{'、'.join(units)}。")
        total = cur.staff_admin + cur.staff_inst
        w.line(
            f"{rep.h.n3(2)}人员编制数{rep.n('编制数', total, '人', asks=_ask(('literal', '人员编制数是多少'), ('paraphrase', '核定了多少编制')))}。"
        )
        w.line(
            f"{rep.h.n3(3)}车辆编制数为{rep.n('车辆编制数', cur.cars_quota, '台', asks=_ask(('literal', '车辆编制数是多少'), ('paraphrase', '编制内能配几台车')))}"
            f"，实有{rep.n('实有车辆', cur.cars, '台', asks=_ask(('paraphrase', '实际有几台公车')))}。"
        )
    else:
        total = cur.staff_admin + cur.staff_inst
        w.line(
            f"全局核定编制{rep.n('编制数', total, '名', asks=_ask(('paraphrase', '核定了多少编制')))}，"
            f"其中行政编制{rep.n('行政编制', cur.staff_admin, '名', asks=_ask(('literal', '行政编制多少名')))}、"
            f"事业编制{rep.n('事业编制', cur.staff_inst, '名')}；{rep.y}"
            f"年末实有在职人员{rep.n('在职人员', cur.staff, '人', asks=ask_staff)}，"
            f"退休人员{rep.n('退休人员', cur.retired, '人')}。"
            f"年末实有公务用车{rep.n('实有车辆', cur.cars, '辆', asks=ask_cars)}。"
        )


def indicator_values(rep: Report, count: int) -> list[tuple[Indicator, str, str, Decimal]]:
    """(indicator, printed actual, printed target, completion %) for count indicators."""
    r = rep.r
    out = []
    for ind in r.sample(rep.slot.dept.indicators, min(count, len(rep.slot.dept.indicators))):
        if ind.dec:
            actual = Decimal(str(round(r.uniform(ind.lo, ind.hi), ind.dec)))
            actual = actual.quantize(Decimal(1).scaleb(-ind.dec))
        else:
            actual = Decimal(r.randint(int(ind.lo), int(ind.hi)))
        if ind.unit == "%":
            target = Decimal(int(actual) - r.randint(0, 4))
            out.append((ind, f"{actual}", f"≥{target}", pct(actual, target)))
            continue
        raw = float(actual) * r.uniform(0.86, 1.04)
        if raw >= 100:  # targets are round: 200场, 24000亩
            step = 10 ** (len(str(int(raw))) - 2)
            target_text = str(max(step, round(raw / step) * step))
        else:
            target_text = f"{max(Decimal(1), Decimal(str(round(raw, ind.dec)))):.{ind.dec}f}"
        out.append((ind, f"{actual}", target_text, pct(actual, Decimal(target_text))))
    return out


def indicator_text(rep: Report, ind: Indicator, actual: str) -> str:
    """The indicator's actual figure, recorded; sometimes 万-scaled or full-width as reports do."""
    value = Decimal(actual)
    asks = [("literal", f"{ind.row}是多少" if ind.unit in ("%", "万元", "亿元") else f"{ind.row}多少{ind.unit}")]
    if ind.ask:
        asks.append(("paraphrase", ind.ask))
    key = "indicator:" + ind.row
    if ind.unit in ("人", "人次", "亩", "户") and value >= 10000 and rep.r.random() < 0.3:
        scaled = (value / 10000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return rep.w.add(
            Fig(
                key,
                "完成",
                ind.row,
                f"{scaled}万{ind.unit}",
                str(scaled),
                "万" + ind.unit,
                rep.y,
                ("实际",),
                asks=tuple(asks),
            )
        )
    if ind.unit == "%":
        return rep.rate(key, value, "完成", ind.row, ("实际",), asks)
    wide = not ind.dec and rep.r.random() < 0.06
    if ind.dec:
        return rep.w.add(
            Fig(key, "完成", ind.row, f"{value}{ind.unit}", str(value), ind.unit, rep.y, ("实际",), asks=tuple(asks))
        )
    return rep.n(
        key,
        int(value),
        ind.unit,
        ind.row,
        "完成",
        ("实际",),
        asks,
        sep=None if rep.r.random() < 0.6 else False,
        wide=wide,
    )


def sangong_items(rep: Report) -> tuple[str, str, str]:
    """How this report names 出国, 公车 and 接待."""
    r = rep.r
    return (
        r.choice(("因公出国（境）费", "因公出国（境）费用", "因公出国（境）费用", "因公出国(境)经费")),
        r.choice(
            (
                "公务用车购置及运行维护费",
                "公务用车购置及运行维护费",
                "公务用车购置及运行费",
                "公务用车购置及运行（维护）费",
            )
        ),
        "公务接待费",
    )


ASK_ABROAD = _ask(
    ("paraphrase", "出国花了多少钱"), ("paraphrase", "因公出国（境）花了多少"), ("literal", "因公出国（境）费是多少")
)
ASK_CAR = _ask(
    ("paraphrase", "买车和养车花了多少钱"),
    ("paraphrase", "公车费用是多少"),
    ("literal", "公务用车购置及运行维护费是多少"),
)
ASK_CAR_RUN = _ask(
    ("paraphrase", "养车花了多少"), ("paraphrase", "公车运行维护花了多少"), ("literal", "公务用车运行维护费是多少")
)
ASK_CAR_BUY = _ask(("paraphrase", "买车花了多少钱"), ("literal", "公务用车购置费是多少"))
ASK_RECEPTION = _ask(
    ("paraphrase", "接待花了多少钱"), ("paraphrase", "招待客人花了多少钱"), ("literal", "公务接待费是多少")
)
ASK_BATCHES = _ask(("paraphrase", "接待了多少批客人"), ("literal", "公务接待了多少批次"))
ASK_VISITORS = _ask(("literal", "公务接待了多少人次"), ("paraphrase", "一共招待了多少人次"))
ASK_SANGONG = _ask(("literal", "“三公”经费支出多少"), ("paraphrase", "三公一共花了多少"))


def abroad_text(rep: Report, label: str) -> tuple[str, str]:
    """出国 figure (or 未发生) and a clause saying why."""
    cur = rep.cur
    if cur.abroad:
        return rep.m("因公出国（境）费", cur.abroad, label, asks=ASK_ABROAD), "主要用于经批准的出国（境）考察学习"
    if rep.r.random() < 0.12:
        return rep.words("因公出国（境）费", "未发生", label), "本年度无因公出国（境）任务"
    return rep.m("因公出国（境）费", 0, label, asks=ASK_ABROAD), rep.r.choice(
        ("本年度无因公出国（境）任务", "全年未安排因公出国（境）团组")
        + (("与上年持平",) if not rep.prev.abroad else ())
    )


def reception_detail(rep: Report) -> str:
    cur = rep.cur
    sep = rep.r.choice(("", "、", "，"))
    unit_b = rep.r.choice(("批次", "批"))
    return (
        f"共接待{rep.r.choice(('', '上级检查指导、兄弟' + rep.lv + '市考察交流等'))}"
        f"{rep.n('接待批次', cur.batches, unit_b, asks=ASK_BATCHES)}{sep}"
        f"{rep.n('接待人次', cur.visitors, '人次', asks=ASK_VISITORS)}"
    )


def sangong_prose(rep: Report, total_printed: bool) -> None:
    """The 三公 paragraph of a 自评报告: totals and three numbered items (or the seed's bare list)."""
    r, cur, prev, w, h = rep.r, rep.cur, rep.prev, rep.w, rep.h
    abroad_label, car_label, rec_label = sangong_items(rep)
    if total_printed:
        budget = r.random() < 0.6
        head = f"{rep.y}年“三公”经费"
        if budget:
            head += f"年初预算{rep.m('三公经费', cur.sangong_b, '“三公”经费', '预算', ('年初预算',), _ask(('paraphrase', '三公经费年初打算花多少'), ('scoped', '“三公”经费年初预算是多少')))}，实际支出"
        else:
            head += "支出"
        head += rep.m("三公经费", cur.sangong, "“三公”经费", asks=ASK_SANGONG)
        head += "，" + rep.change(
            "三公经费",
            cur.sangong,
            prev.sangong,
            "“三公”经费",
            _ask(("scoped", "“三公”经费比上年增减了多少")),
            _ask(("scoped", "“三公”经费比上年变化了百分之几")),
        )
        w.line(head + "。其中：")
    if total_printed:
        abroad, why = abroad_text(rep, abroad_label)
        w.line(f"{h.n3(1)}{abroad_label}{abroad}，{why}；")
        car_line = f"{h.n3(2)}{car_label}{rep.m('公务用车购置及运行维护费', cur.car, car_label, asks=ASK_CAR)}，"
        car_line += f"其中公务用车购置费{rep.m('公务用车购置费', cur.car_buy, '公务用车购置费', asks=ASK_CAR_BUY)}，"
        car_line += (
            f"公务用车运行维护费{rep.m('公务用车运行维护费', cur.car_run, '公务用车运行维护费', asks=ASK_CAR_RUN)}"
        )
        if r.random() < 0.6 and cur.car_run != prev.car_run:
            down = cur.car_run < prev.car_run
            car_line += (
                f"，较上年{rep.m('公务用车运行维护费', prev.car_run, '公务用车运行维护费', '上年决算', ('上年',), year=rep.py)}"
                f"{'减少' if down else '增加'}{rep.m('公务用车运行维护费', abs(cur.car_run - prev.car_run), '公务用车运行维护费', '增减', rep.dq(not down))}"
            )
        car_line += (
            "，"
            + r.choice(
                (
                    "主要是严格执行派车审批制度，压减非必要用车",
                    "主要用于执法检查和下乡调研用车的燃油、维修和保险",
                    "车辆老化维修费用有所增加",
                )
            )
            + "；"
        )
        w.line(car_line)
        rec = f"{h.n3(3)}{rec_label}{rep.m('公务接待费', cur.reception, rec_label, asks=ASK_RECEPTION)}"
        before = r.random() < 0.5
        if before:
            asks = _ask(("paraphrase", "{PY}年招待客人花了多少钱")) if not rep.prev_report else ()
            rec += (
                f"（{rep.py}年为{rep.m('公务接待费', prev.reception, rec_label, '上年决算', ('上年',), asks, rep.py)}）"
            )
        rec += "，" + reception_detail(rep) + "，均按规定标准执行公务接待。"
        w.line(rec)
        if before and cur.reception != prev.reception:
            rep.derive_difference(
                "公务接待费比上年" + ("少花了多少" if cur.reception < prev.reception else "多花了多少"),
                rep.last("公务接待费", "上年决算"),
                rep.last("公务接待费"),
            )
        if budget and cur.sangong_b > cur.sangong:
            rep.derive_difference("三公经费预算还剩多少没花", rep.last("三公经费", "预算"), rep.last("三公经费"))
        if not rep.prev_report and cur.sangong != prev.sangong:
            rep.derive_previous("{PY}年三公经费是多少", rep.last("三公经费"), rep.last("三公经费", "增减"))
        return
    # the seed: three bare lines, no total
    parts: list[Fig] = []
    order = [0, 1, 2] if r.random() < 0.5 else [0, 2, 1]
    for pos, which in enumerate(order, start=1):
        end = "；" if pos < 3 else "。"
        if which == 0:
            abroad = abroad_text(rep, abroad_label)[0]
            w.line(f"{h.n3(pos)}{abroad_label}{abroad}{end}")
            parts.append(rep.last("因公出国（境）费"))
        elif which == 1:
            car = rep.m("公务用车购置及运行维护费", cur.car, car_label, asks=ASK_CAR)
            w.line(f"{h.n3(pos)}{car_label}{car}{end}")
            parts.append(rep.last("公务用车购置及运行维护费"))
        else:
            rec = rep.m("公务接待费", cur.reception, rec_label, asks=ASK_RECEPTION)
            w.line(f"{h.n3(pos)}{rec_label}{rec}，{reception_detail(rep)}{end}")
            parts.append(rep.last("公务接待费"))
    derive_sangong(rep, parts)


def derive_sangong(rep: Report, parts: Sequence[Fig]) -> None:
    """三公经费合计 from the printed parts, in the parts' unit and decimals."""
    money = [f for f in parts if f.unit in ("万元", "元") and f.value not in (None, "0")]
    if len(parts) != 3 or not money:
        return
    unit = money[0].unit
    if any(f.unit != unit for f in money):
        return
    total = sum((Decimal(f.value or "0") for f in money), Decimal(0))
    answer = f"{total.quantize(TWO)}{unit}"
    rep.w.derived.append(
        Derived(
            rep.r.choice(("三公经费合计多少", "“三公”经费一共花了多少", "三公经费总共是多少")),
            answer,
            parts[-1].evidence,
            tuple(f.text for f in parts),
            " + ".join((f.value or "0") for f in parts),
        )
    )


def sangong_table(rep: Report, with_change: bool) -> None:
    """表 “三公”经费支出情况表: bare cells, the unit in a unit line or the caption."""
    r, cur, prev, y = rep.r, rep.cur, rep.prev, rep.y
    unit = rep.money.unit
    n = r.randint(1, 4)
    caption_unit = r.random() < 0.5
    caption = f"表{n}  {y}年度“三公”经费支出{r.choice(('决算表', '情况表', '决算情况表'))}" + (
        f"（单位：{unit}）" if caption_unit else ""
    )
    unit_line = None if caption_unit else f"单位：{unit}"
    cols = ["预算数", "决算数", "上年决算数"]
    if with_change:
        cols.append("增减额")
    header = ["项目", *cols]
    items = [
        ("合计", "三公经费", cur.sangong_b, cur.sangong, prev.sangong, "“三公”经费"),
        ("因公出国（境）费", "因公出国（境）费", cur.abroad_b, cur.abroad, prev.abroad, "因公出国（境）费"),
        (
            "公务用车购置及运行维护费",
            "公务用车购置及运行维护费",
            cur.car_b,
            cur.car,
            prev.car,
            "公务用车购置及运行维护费",
        ),
        (
            "其中：公务用车购置费",
            "公务用车购置费",
            cur.car_buy if cur.car_buy <= cur.car_b else cur.car_b,
            cur.car_buy,
            prev.car_buy,
            "公务用车购置费",
        ),
        (
            "　　　公务用车运行维护费",
            "公务用车运行维护费",
            cur.car_b - min(cur.car_buy, cur.car_b),
            cur.car_run,
            prev.car_run,
            "公务用车运行维护费",
        ),
        ("公务接待费", "公务接待费", cur.reception_b, cur.reception, prev.reception, "公务接待费"),
    ]
    rows = []
    for row_label, key, budget, actual, before, name in items:
        asks_b = (
            _ask(("literal", f"{name}预算数是多少"))
            if key != "三公经费"
            else _ask(("literal", "“三公”经费预算数是多少"))
        )
        asks_a = _ask(("literal", f"{name}决算数是多少"))
        asks_p: tuple[tuple[str, str], ...] = ()
        if not rep.prev_report:
            asks_p = _ask(("scoped", f"{{PY}}年{name}决算数是多少"))
        row = [
            row_label,
            rep.mcell(key, budget, "预算数", "预算", name, asks_b),
            rep.mcell(key, actual, "决算数", "决算", name, asks_a),
            rep.mcell(key, before, "上年决算数", "上年决算", name, asks_p, year=rep.py),
        ]
        if with_change:
            delta = actual - before
            zero = "0" if rep.bare_zero else "0.00"
            text = ("-" if delta < 0 else "") + rep.money.number(abs(delta)) if delta else zero
            value = ("-" if delta < 0 else "") + str(rep.money.value(abs(delta))) if delta else zero
            row.append(rep.cell(key, text, value, unit, "增减额", "增减额", name))
        rows.append(row)
    rep.table(caption, unit_line, header, rows)


# ---------------------------------------------------------------------------------------------
# 部门整体支出绩效自评报告
# ---------------------------------------------------------------------------------------------

PROBLEMS = (
    "预算编制精细化程度不够，年中追加预算较多，预算约束力有待加强",
    "部分项目资金拨付进度偏慢，预算执行前松后紧，资金集中在第四季度支付",
    "绩效目标设置不够细化，部分指标难以量化考核",
    "绩效评价结果运用不够充分，与下年度预算安排挂钩不紧",
    "基层专业技术人员不足，部分业务工作开展受到制约",
    "项目前期论证不够充分，个别项目实施进度滞后",
)
MEASURES = (
    "提高预算编制的科学性和准确性，将可预见的支出全部纳入年初预算",
    "加快项目实施和资金拨付进度，建立月调度、季通报制度",
    "进一步完善绩效目标和指标体系，强化评价结果运用",
    "严格执行中央八项规定精神，从严控制“三公”经费和一般性支出",
    "加强财务人员业务培训，提升预算管理和绩效管理水平",
)


def perf_report(rep: Report) -> str:
    r, cur, prev, w, h, y = rep.r, rep.cur, rep.prev, rep.w, rep.h, rep.y
    place, dept = rep.slot.place, rep.slot.dept
    org = rep.org
    title = r.choice(
        (
            f"{y}年度{org}部门整体支出绩效自评报告",
            f"{org}{y}年度部门整体支出绩效自评报告",
            f"{org}{y}年部门整体支出绩效自评报告",
        )
    )
    w.line(title)
    w.line()
    parts = r.random() < 0.3
    opening = r.randint(0, 2)
    if opening == 0:
        w.line(
            f"根据《{rep.lv}财政局关于开展{y}年度部门整体支出绩效自评工作的通知》（{place.short[0]}财绩〔{y + 1}"
            f"〕{r.randint(1, 19)}号）要求，"
            f"我局组织财务、各业务股室及纳入部门预算的二级单位，对{y}年度部门整体支出情况进行了全面自评。"
            "现将有关情况报告如下："
        )
        w.line()
    elif opening == 1:
        w.line(f"{rep.lv}财政局：")
        w.line()
        w.line(
            f"按照《关于做好{y}年度{rep.lv}级预算部门整体支出绩效自评工作的通知》要求，我局成立了以局长为组长、"
            "分管财务副局长为副组长的"
            "绩效自评工作领导小组，对照年初设定的绩效目标，对部门整体支出进行了自评。现将自评情况报告如下。"
        )
        w.line()
    sec = 0

    def h1(title: str, part: str) -> None:
        nonlocal sec
        sec += 1
        if parts:
            w.line(f"第{cn(sec)}部分  {part}")
        else:
            w.line(h.h1(sec, title))
        w.line()

    def h2(i: int, title: str) -> str:  # inside a 第X部分 the next level is 一、
        return h.h1(i, title) if parts else h.h2(i, title)

    h1(r.choice(("部门基本情况", "部门概况", "基本情况")), "部门概况")
    w.line(h2(1, r.choice(("部门职能", "主要职能", "职能职责"))))
    w.line()
    w.line(f"{org}是{rep.lv}人民政府工作部门，主要职责是：" + dept.duties.format(area=rep.area))
    w.line()
    w.line(
        h2(2, r.choice(("机构设置及人员情况", "机构和人员", "人员及车辆情况")))
        if not parts
        else h.h1(2, "机构设置及人员情况")
    )
    w.line()
    staff_section(rep, r.randint(0, 2))
    w.line()

    h1(r.choice(("部门整体支出情况", "部门整体支出规模", "预算及支出总体情况")), "部门整体支出情况")
    ask_total = _ask(
        ("literal", "部门整体支出是多少"), ("paraphrase", "一共花了多少钱"), ("paraphrase", "全年总支出是多少")
    )
    ask_basic = _ask(("literal", "基本支出是多少"), ("paraphrase", "维持机构正常运转的基本支出花了多少"))
    ask_project = _ask(("literal", "项目支出是多少"), ("paraphrase", "项目上花了多少钱"))
    budget_style = r.randint(0, 2)  # 0 prose with budget, 1 table, 2 no budget (the seed)
    budget_printed = budget_style != 2
    rate_t = pct(cur.total, cur.budget1)
    if budget_style == 0:
        w.line(
            f"{y}年度部门整体支出{r.choice(('总额为', '', '为'))}"
            f"{rep.m('整体支出', cur.total, '部门整体支出', asks=ask_total)}，"
            f"其中基本支出{rep.m('基本支出', cur.basic, asks=ask_basic)}，"
            f"项目支出{rep.m('项目支出', cur.project, asks=ask_project)}。"
            f"年初预算数为{rep.m('整体支出', cur.budget0, '年初预算', '年初预算', ('年初预算',), _ask(('paraphrase', '年初一共安排了多少预算'), ('scoped', '年初预算数是多少')))}，"
            f"年中因{r.choice(('上级专项资金下达', '政策性增资和专项追加', '重点工作任务增加'))}等追加预算，"
            "调整后预算数为"
            f"{rep.m('整体支出', cur.budget1, '调整后预算', '调整后预算', ('调整后预算',), _ask(('scoped', '调整后预算数是多少'), ('paraphrase', '年中追加以后预算一共是多少')))}，"
            f"全年执行率{rep.rate('预算执行率', rate_t, '执行率', '预算执行率', asks=_ask(('literal', '部门预算执行率是多少'), ('paraphrase', '预算执行了百分之多少')))}。"
        )
        if r.random() < 0.5 and cur.budget1 > cur.budget0:
            rep.derive_difference(
                "调整后预算比年初预算增加了多少", rep.last("整体支出", "调整后预算"), rep.last("整体支出", "年初预算")
            )
    elif budget_style == 1:
        w.line(
            f"{y}年度部门整体支出{rep.m('整体支出', cur.total, '部门整体支出', asks=ask_total)}，"
            f"其中基本支出{rep.m('基本支出', cur.basic, asks=ask_basic)}，"
            f"项目支出{rep.m('项目支出', cur.project, asks=ask_project)}。预算安排及执行情况见下表："
        )
        w.line()
        rows = []
        for label, key, b0, b1, act in (
            ("基本支出", "基本支出", cur.basic_b0, cur.basic_b1, cur.basic),
            ("项目支出", "项目支出", cur.project_b0, cur.project_b1, cur.project),
            ("合计", "整体支出", cur.budget0, cur.budget1, cur.total),
        ):
            name = "部门整体支出" if key == "整体支出" else label
            rows.append(
                [
                    label,
                    rep.mcell(key, b0, "年初预算", "年初预算", name, _ask(("literal", f"{name}年初预算是多少"))),
                    rep.mcell(key, b1, "调整后预算", "调整后预算", name, _ask(("literal", f"{name}调整后预算是多少"))),
                    rep.mcell(key, act, "决算数", "决算", name),
                    rep.cell(
                        key,
                        f"{pct(act, b1)}%",
                        str(pct(act, b1)),
                        "%",
                        "执行率",
                        "执行率",
                        name,
                        _ask(("literal", f"{name}执行率是多少")) if key != "整体支出" else (),
                    ),
                ]
            )
        rep.table(None, f"单位：{rep.money.unit}", ["项目", "年初预算", "调整后预算", "决算数", "执行率"], rows)
        if r.random() < 0.5:
            rep.w.derived.append(
                Derived(
                    "项目支出调整后预算还有多少没执行",
                    f"{rep.money.value(cur.project_b1 - cur.project)}{rep.money.unit}",
                    rep.last("项目支出", "调整后预算").evidence,
                    (rep.last("项目支出", "调整后预算").text, rep.last("项目支出").text),
                    f"{rep.money.value(cur.project_b1)} - {rep.money.value(cur.project)}",
                )
            )
    else:
        w.line(
            f"{y}年部门整体支出为{rep.m('整体支出', cur.total, '部门整体支出', asks=ask_total)}，"
            f"其中基本支出为{rep.m('基本支出', cur.basic, asks=ask_basic)}、"
            f"项目支出为{rep.m('项目支出', cur.project, asks=ask_project)}。"
        )
        if r.random() < 0.6:
            share = pct(cur.project, cur.total)
            rep.w.derived.append(
                Derived(
                    "项目支出占部门整体支出的比例是多少",
                    f"{share}%",
                    rep.last("整体支出").evidence,
                    (rep.last("项目支出").text, rep.last("整体支出").text),
                    f"{rep.money.value(cur.project)} / {rep.money.value(cur.total)}",
                )
            )
    if r.random() < 0.4 and not parts:
        w.line(
            "部门整体支出"
            + rep.change(
                "整体支出",
                cur.total,
                prev.total,
                "部门整体支出",
                _ask(("scoped", "部门整体支出比上年增减了多少")),
                _ask(("scoped", "部门整体支出比上年变化了百分之几")),
            )
            + "，主要是"
            + r.choice(
                ("重点项目支出增加", "上级专项资金增加", "人员调资和社保缴费基数调整")
                if cur.total > prev.total
                else ("重点项目完工，项目支出减少", "上级专项资金减少", "严格压减一般性支出")
            )
            + "。"
        )
    w.line()

    w.line(h2(1, r.choice(("基本支出", "基本支出情况"))))
    w.line()
    text = (
        f"{y}年基本支出{rep.m('基本支出', cur.basic, asks=ask_basic)}，其中：人员经费"
        f"{rep.m('人员经费', cur.personnel, asks=_ask(('literal', '人员经费是多少'), ('paraphrase', '人头费是多少'), ('paraphrase', '工资福利这块花了多少')))}，"
        "主要用于在职人员基本工资、津贴补贴、奖金、社会保障缴费、住房公积金及离退休人员生活补助等；日常公用经费"
        f"{rep.m('日常公用经费', cur.public, asks=_ask(('literal', '日常公用经费是多少'), ('paraphrase', '办公经费花了多少')))}，"
        f"主要用于{r.choice(('办公费、印刷费、水电费、邮电费、物业管理费、维修（护）费及其他商品和服务支出', '办公费、水电费、差旅费、维修（护）费、公务用车运行维护费等', '机构正常运转所需的办公、邮电、维修等支出'))}。"
    )
    if r.random() < 0.4:
        text += "日常公用经费" + rep.change(
            "日常公用经费",
            cur.public,
            prev.public,
            "日常公用经费",
            _ask(("scoped", "日常公用经费比上年增减了多少")),
            _ask(("scoped", "办公经费比上年变化了百分之几")),
        )
        text += "。"
    w.line(text)
    w.line()
    w.line(h2(2, r.choice(("项目支出", "项目支出情况"))))
    w.line()
    project_section(rep, ask_project)
    w.line()
    w.line(h2(3, r.choice(("“三公”经费支出", "“三公”经费情况", "“三公”经费支出情况"))))
    w.line()
    style = r.random()
    if style < 0.5:
        sangong_prose(rep, True)
    elif style < 0.75:
        sangong_prose(rep, False)
    else:
        w.line(f"{y}年“三公”经费支出情况如下：")
        sangong_table(rep, r.random() < 0.4)
        w.line(f"全年{reception_detail(rep)}。")
    w.line()

    h1(r.choice(("部门整体支出绩效情况", "部门整体支出绩效", "绩效目标完成情况")), "部门整体支出绩效情况")
    sub = 0
    if budget_printed:
        sub += 1
        w.line(h2(sub, "预算执行情况"))
        w.line()
        w.line(
            f"我局严格按照批复的部门预算组织支出，{y}年部门预算执行率"
            + (f"{rate_t}%" if budget_style == 0 else rep.rate("预算执行率", rate_t, "执行率", "预算执行率"))
            + f"，{r.choice(('全年无超预算、无预算外支出', '资金支付进度基本符合序时要求', '个别项目因年底才完成验收，资金结转下年支付'))}。"
        )
        w.line()
    sub += 1
    w.line(h2(sub, r.choice(("履职效益情况", "产出情况", "履职效能"))))
    w.line()
    inds = indicator_values(rep, r.randint(3, 4))
    table_inds = r.random() < 0.35
    score_total: Decimal
    if table_inds:
        w.line("对照年初设定的绩效目标，主要指标完成情况见下表：")
        scored: list[tuple[str, str | None, str | None, int, int]] = []
        shares = [80 // len(inds) // 5 * 5] * len(inds)
        shares[0] += 80 - sum(shares)
        for (ind, actual, target, done), weight in zip(inds, shares, strict=True):
            scored.append((ind.row, actual, target, weight, weight - (0 if done >= 100 else r.randint(1, 3))))
        for name, word in (("资金管理规范性", "规范"), ("项目管理制度健全性", "健全")):
            scored.append((name + "|" + word, None, None, 10, 10 - r.choice((0, 0, 1))))
        table_rows = []
        by_row = {ind.row: ind for ind, _, _, _ in inds}
        for name, act_text, goal_text, weight, got in scored:
            if act_text is None or goal_text is None:
                label, word = name.split("|")
                cells = [label, word, word]
            else:
                ind = by_row[name]
                cells = [
                    name,
                    rep.cell(
                        "indicator:" + name,
                        f"{goal_text}{ind.unit}",
                        goal_text.lstrip("≥"),
                        ind.unit,
                        "年度指标值",
                        "目标",
                        name,
                    ),
                    indicator_text(rep, ind, act_text),
                ]
            cells.append(rep.cell("分值:" + cells[0], str(weight), str(weight), None, "分值", "分值", cells[0]))
            cells.append(rep.cell("得分:" + cells[0], str(got), str(got), None, "得分", "得分", cells[0]))
            table_rows.append(cells)
        score_total = Decimal(sum(row[4] for row in scored))
        rep.table(
            f"表{r.randint(2, 4)}  {y}年度部门整体支出绩效指标完成情况",
            None,
            ["绩效指标", "年度指标值", "实际完成值", "分值", "得分"],
            table_rows,
        )
    else:
        numbered = r.random() < 0.6
        for i, (ind, actual, target, done) in enumerate(inds, start=1):
            lead = h.n3(i) if numbered else ""
            text = f"{lead}{ind.prose}{indicator_text(rep, ind, actual)}"
            if r.random() < 0.3:
                goal = rep.w.add(
                    Fig(
                        "indicator:" + ind.row,
                        "目标",
                        ind.row,
                        f"{target}{ind.unit}",
                        target.lstrip("≥"),
                        ind.unit,
                        y,
                        ("目标",),
                        asks=_ask(("scoped", f"{ind.row}年度目标是多少")),
                    )
                )
                text += f"（年度目标{goal}）"
            if ind.unit != "%" and r.random() < 0.5:
                text += f"，完成年度目标的{rep.rate('indicator:' + ind.row, done, '完成率', ind.row + '完成率')}"
            w.line(text + "。")
        score_total = Decimal(r.randint(80, 98)) + (Decimal("0.5") if r.random() < 0.2 else 0)
    w.line()
    sub += 1
    w.line(h2(sub, "满意度情况"))
    w.line()
    sat = Decimal(str(round(r.uniform(88, 99), 1)))
    w.line(
        f"通过{r.choice(('第三方电话回访和问卷调查', '发放调查问卷', '走访服务对象'))}，{dept.served}对"
        f"{r.choice(('我局工作', '部门履职', '服务'))}满意度为{rep.rate('满意度', sat, '完成', '满意度', asks=_ask(('literal', '满意度是多少'), ('paraphrase', dept.served + '满意度有多高')))}。"
    )
    w.line()
    sub += 1
    w.line(h2(sub, r.choice(("自评结果", "自评结论"))))
    w.line()
    w.line(
        f"根据部门整体支出绩效评价指标体系，经综合评价，本部门{y}年度整体支出绩效自评得分"
        f"{rep.n('自评得分', score_total, '分', asks=_ask(('paraphrase', '绩效自评得了多少分'), ('literal', '部门整体支出绩效自评得分是多少')))}，"
        f"等级为“{grade(score_total)}”。"
    )
    w.line()
    h1(r.choice(("存在的主要问题", "存在的问题")), "存在的问题")
    listed = r.random() < 0.5
    for i, p in enumerate(r.sample(PROBLEMS, r.randint(2, 3)), start=1):
        w.line(h.h2(i, p + "。") if listed else f"{cn(i)}是{p}。")
    w.line()
    h1(r.choice(("改进措施", "改进措施和有关建议", "下一步改进措施")), "改进措施")
    for i, p in enumerate(r.sample(MEASURES, r.randint(2, 4)), start=1):
        w.line(f"{h.n3(i)}{p}。")
    w.line()
    w.line(org)
    w.line(f"{y + 1}年{r.randint(2, 5)}月{r.randint(1, 28)}日")
    return title


def project_section(rep: Report, ask_project: tuple[tuple[str, str], ...]) -> None:
    r, cur, w, y = rep.r, rep.cur, rep.w, rep.y
    if r.random() < 0.35:
        w.line(f"{y}年项目支出{rep.m('项目支出', cur.project, asks=ask_project)}，重点项目资金执行情况如下：")
        w.line()
        unit = rep.money.unit
        rows = []
        for name, amount in cur.projects:
            if name == "其他项目支出":
                continue
            budget = rep.budget_for(amount, 0.84)
            rows.append(
                [
                    name,
                    rep.mcell(
                        "项目:" + name,
                        budget,
                        f"年度预算数({unit})",
                        "预算",
                        name,
                        _ask(("literal", f"{name}年度预算数是多少")),
                    ),
                    rep.mcell(
                        "项目:" + name,
                        amount,
                        f"执行数({unit})",
                        "决算",
                        name,
                        _ask(("literal", f"{name}执行数是多少"), ("paraphrase", f"{name}实际花了多少")),
                    ),
                    rep.cell(
                        "项目:" + name,
                        f"{pct(amount, budget)}%",
                        str(pct(amount, budget)),
                        "%",
                        "执行率",
                        "执行率",
                        name,
                        _ask(("literal", f"{name}的执行率是多少")),
                    ),
                ]
            )
        rep.table(
            f"表{r.randint(1, 3)}  {y}年度重点项目资金执行情况",
            None,
            ["项目名称", f"年度预算数({unit})", f"执行数({unit})", "执行率"],
            rows,
        )
        return
    head = f"{y}年项目支出{rep.m('项目支出', cur.project, asks=ask_project)}，主要用于："
    items = []
    quirk = r.random()
    for i, (name, amount) in enumerate(cur.projects):
        ask = _ask(("literal", f"{name}是多少")) if name != "其他项目支出" else ()
        if quirk < 0.05 and i == 0 and rep.money.unit == "万元" and rep.money.sep is False:
            wide = fullwidth(rep.money.number(amount)) + "万元"
            items.append(
                name
                + rep.w.add(Fig("项目:" + name, "决算", name, wide, str(rep.money.value(amount)), "万元", y, asks=ask))
            )
        else:
            items.append(name + rep.m("项目:" + name, amount, name, asks=ask))
    w.line(head + "，".join(items) + "。")


# ---------------------------------------------------------------------------------------------
# 部门决算说明
# ---------------------------------------------------------------------------------------------

GLOSSARY = (
    "财政拨款收入：指本级财政当年拨付的资金。",
    "年初结转和结余：指以前年度尚未完成、结转到本年仍按原规定用途继续使用的资金，或项目已完成等产生的结余资金。",
    "基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员经费和公用经费。",
    "项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
    "“三公”经费：指用财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。",
    "机关运行经费：为保障行政单位（包括参照公务员法管理的事业单位）运行用于购买货物和服务的各项资金。",
)
PUBLIC_USES = (
    "办公费、印刷费、咨询费、手续费、水费、电费、邮电费、物业管理费、差旅费、维修（护）费、会议费、培训费、公务接待费、"
    "专用材料费、劳务费、委托业务费、工会经费、福利费、公务用车运行维护费、其他交通费用、其他商品和服务支出等",
    "办公费、印刷费、邮电费、维修（护）费、专用材料费、劳务费、工会经费、福利费、其他交通费用等",
)


def final_accounts(rep: Report) -> str:
    r, cur, prev, w, h, y, py = rep.r, rep.cur, rep.prev, rep.w, rep.h, rep.y, rep.py
    dept = rep.slot.dept
    org = rep.org
    title = r.choice((f"{org}{y}年度部门决算说明", f"{y}年度{org}部门决算公开说明", f"{org}{y}年部门决算说明"))
    w.line(title)
    w.line()
    if r.random() < 0.5:
        w.line("目  录")
        w.line(f"第一部分  {org}概况")
        w.line(f"第二部分  {y}年度部门决算情况说明")
        w.line("第三部分  名词解释")
        w.line()
    w.line(f"第一部分  {org}概况")
    w.line()
    w.line(h.h1(1, "主要职能"))
    w.line()
    w.line(dept.duties.format(area=rep.area))
    w.line()
    w.line(h.h1(2, "部门决算单位构成"))
    w.line()
    units = [u.format(lv=rep.lv) for u in r.sample(dept.units, r.randint(1, len(dept.units)))]
    w.line(
        f"从预算单位构成看，纳入本部门{y}年度部门决算编制范围的单位共{rep.n('决算单位数', len(units) + 1, '个')}，"
        f"包括：{org}本级、{'、'.join(units)}。"
        f"年末在职人员{rep.n('在职人员', cur.staff, '人', asks=_ask(('paraphrase', '年底有多少在职人员'), ('literal', '年末在职人员多少人')))}，"
        f"离退休人员{rep.n('退休人员', cur.retired, '人', asks=_ask(('literal', '离退休人员多少人')))}。"
    )
    w.line()
    w.line(f"第二部分  {y}年度部门决算情况说明")
    w.line()
    sec = 1
    w.line(h.h1(sec, "收入支出决算总体情况说明"))
    w.line()
    grand = cur.income + cur.carry_in
    prev_grand = prev.income + prev.carry_in
    text = (
        f"{y}年度收入总计{rep.m('收入总计', grand, '收入总计', asks=_ask(('literal', '收入总计是多少')))}，"
        f"支出总计{rep.m('支出总计', grand, '支出总计')}。与{py}年度相比，收入、支出总计各"
    )
    up = grand >= prev_grand
    text += f"{'增加' if up else '减少'}{rep.m('收入总计', abs(grand - prev_grand), '收入支出总计', '增减', rep.dq(up), _ask(('scoped', f'收入支出总计比{py}年增减了多少')))}，"
    text += f"{'增长' if up else '下降'}{rep.rate('收入总计', pct(abs(grand - prev_grand), prev_grand), '增减率', '收入支出总计', rep.dq(up))}"
    special = Decimal(cur.project) * Decimal(str(round(r.uniform(0.3, 0.6), 2))) / 10**10
    if up and special >= 1:  # in 亿元, rounded as reports round it
        yi = special.quantize(TWO, rounding=ROUND_HALF_UP)
        fig = rep.w.add(Fig("上级专项资金", "决算", "上级专项资金", f"{yi}亿元", str(yi), "亿元", y, ("约",)))
        text += f"，主要原因是中央和省级专项资金{fig}集中下达。"
    else:
        reasons = ("上级专项资金增加", "人员经费增加") if up else ("上级专项资金减少", "项目支出减少")
        text += "，主要原因是" + r.choice(reasons) + "。"
    w.line(text)
    w.line()
    sec += 1
    w.line(h.h1(sec, "收入决算情况说明"))
    w.line()
    w.line(
        f"{y}年度本年收入合计{rep.m('本年收入合计', cur.income, '本年收入合计', asks=_ask(('literal', '本年收入合计是多少')))}，其中：财政拨款收入"
        f"{rep.m('财政拨款收入', cur.fiscal_income, '财政拨款收入', asks=_ask(('literal', '财政拨款收入是多少')))}，"
        f"占{rep.rate('财政拨款收入', pct(cur.fiscal_income, cur.income), '占比', '财政拨款收入占比')}；"
        f"事业收入{rep.m('事业收入', 0, '事业收入')}；经营收入{rep.m('经营收入', 0, '经营收入')}；"
        f"其他收入{rep.m('其他收入', cur.other_income, '其他收入', asks=_ask(('literal', '其他收入是多少')))}"
        + (
            f"，占{rep.rate('其他收入', pct(cur.other_income, cur.income), '占比', '其他收入占比')}"
            if cur.other_income
            else ""
        )
        + f"。另有年初结转和结余{rep.m('年初结转和结余', cur.carry_in, '年初结转和结余', asks=_ask(('paraphrase', '从上年结转过来多少钱'), ('literal', '年初结转和结余是多少')))}。"
    )
    w.line()
    sec += 1
    w.line(h.h1(sec, "支出决算情况说明"))
    w.line()
    w.line(
        f"{y}年度本年支出合计{rep.m('整体支出', cur.total, '本年支出合计', asks=_ask(('literal', '本年支出合计是多少'), ('paraphrase', '当年实际花了多少钱')))}，其中：基本支出"
        f"{rep.m('基本支出', cur.basic, asks=_ask(('scoped', '本年支出中基本支出是多少')))}，占{rep.rate('基本支出', pct(cur.basic, cur.total), '占比', '基本支出占比', asks=_ask(('literal', '基本支出占本年支出的比例')))}；"
        f"项目支出{rep.m('项目支出', cur.project, asks=_ask(('scoped', '本年支出中项目支出是多少'), ('paraphrase', '项目上花了多少钱')))}，占{rep.rate('项目支出', pct(cur.project, cur.total), '占比', '项目支出占比', asks=_ask(('literal', '项目支出占本年支出的比例')))}；"
        "上缴上级支出、"
        f"经营支出和对附属单位补助支出均为{rep.m('其他支出', 0, '上缴上级支出、经营支出和对附属单位补助支出')}。"
        f"年末结转和结余{rep.m('年末结转和结余', cur.carry_out, '年末结转和结余', asks=_ask(('paraphrase', '年底还剩多少结转结余资金'), ('literal', '年末结转和结余是多少')))}，"
        f"主要为{r.choice(('跨年度实施的项目资金', '年底下达尚未支付的上级专项资金', '政府采购尚未完成支付的资金'))}。"
    )
    w.line()
    sec += 1
    w.line(h.h1(sec, "财政拨款收入支出决算总体情况说明"))
    w.line()
    ft = cur.fiscal_income + cur.fiscal_carry_in
    pft = prev.fiscal_income + prev.fiscal_carry_in
    w.line(
        f"{y}年度财政拨款收入总计{rep.m('财政拨款收入总计', ft, '财政拨款收入总计', asks=_ask(('literal', '财政拨款收入总计是多少')))}，支出总计{rep.m('财政拨款支出总计', ft, '财政拨款支出总计')}。"
        f"与{py}年度相比，财政拨款收入、支出总计各{'增加' if ft >= pft else '减少'}"
        f"{rep.m('财政拨款收入总计', abs(ft - pft), '财政拨款收入支出总计', '增减', rep.dq(ft >= pft))}，"
        f"{'增长' if ft >= pft else '下降'}"
        f"{rep.rate('财政拨款收入总计', pct(abs(ft - pft), pft), '增减率', '财政拨款收入支出总计', rep.dq(ft >= pft))}。"
    )
    w.line()
    sec += 1
    w.line(h.h1(sec, "一般公共预算财政拨款支出决算情况说明"))
    w.line()
    w.line(h.h2(1, "财政拨款支出决算总体情况"))
    w.line()
    gf, pgf = cur.gf, prev.gf
    w.line(
        f"{y}年度一般公共预算财政拨款支出{rep.m('一般公共预算财政拨款支出', gf, asks=_ask(('literal', '一般公共预算财政拨款支出是多少')))}，"
        f"占本年支出合计的{rep.rate('一般公共预算财政拨款支出', pct(gf, cur.total), '占比', '一般公共预算财政拨款支出占比')}。与{py}年度相比，一般公共预算财政拨款支出"
        f"{'增加' if gf >= pgf else '减少'}"
        f"{rep.m('一般公共预算财政拨款支出', abs(gf - pgf), '一般公共预算财政拨款支出', '增减', rep.dq(gf >= pgf))}，"
        f"{'增长' if gf >= pgf else '下降'}{rep.rate('一般公共预算财政拨款支出', pct(abs(gf - pgf), pgf), '增减率', '一般公共预算财政拨款支出', rep.dq(gf >= pgf), _ask(('literal', '一般公共预算财政拨款支出比上年的增长率')) if gf >= pgf else ())}。"
    )
    w.line()
    w.line(h.h2(2, "财政拨款支出决算结构情况"))
    w.line()
    classes: list[tuple[str, int]] = []
    main = gf
    for name, amount in (
        ("社会保障和就业支出", cur.social),
        ("卫生健康支出", cur.health),
        ("住房保障支出", cur.housing),
    ):
        if name != dept.func:
            classes.append((name, amount))
            main -= amount
    classes.insert(0, (dept.func, main))
    pieces = []
    for name, amount in classes:
        asks = _ask(("literal", f"{name}是多少")) if name == dept.func else _ask(("literal", f"财政拨款中{name}是多少"))
        pieces.append(
            f"{name}（类）{rep.m('功能分类:' + name, amount, name, asks=asks)}，"
            f"占{rep.rate('功能分类:' + name, pct(amount, gf), '占比', name + '占比')}"
        )
    w.line(f"{y}年度一般公共预算财政拨款支出主要用于以下方面：" + "；".join(pieces) + "。")
    w.line()
    w.line(h.h2(3, "财政拨款支出决算具体情况"))
    w.line()
    w.line(
        f"{y}年度一般公共预算财政拨款支出年初预算为{rep.m('一般公共预算财政拨款支出', cur.gf_b0, '一般公共预算财政拨款支出年初预算', '年初预算', ('年初预算',), _ask(('scoped', '一般公共预算财政拨款支出年初预算是多少')))}，"
        f"支出决算为{rep.m('一般公共预算财政拨款支出', gf, '一般公共预算财政拨款支出决算')}，完成年初预算的"
        f"{rep.rate('一般公共预算财政拨款支出', pct(gf, cur.gf_b0), '执行率', '完成年初预算的比例', asks=_ask(('literal', '一般公共预算财政拨款支出完成年初预算的比例')))}。"
        f"其中{dept.func}（类）主要项目情况如下："
    )
    w.line()
    items = r.sample(dept.items, min(len(dept.items), r.randint(3, 5)))
    amounts = _split(r, main, len(items), rep.quantum)
    rows = []
    for item, amount in zip(items, amounts, strict=True):
        budget = round(amount * r.uniform(0.6, 1.05))
        budget = max(10000, budget // 10000 * 10000) if rep.money.unit == "万元" else max(1, budget)
        rows.append(
            [
                item,
                rep.mcell(
                    "功能科目:" + item,
                    budget,
                    "年初预算数",
                    "年初预算",
                    item,
                    _ask(("literal", f"{item}年初预算数是多少")),
                ),
                rep.mcell(
                    "功能科目:" + item,
                    amount,
                    "支出决算数",
                    "决算",
                    item,
                    _ask(("literal", f"{item}支出决算数是多少"), ("paraphrase", f"{item}实际花了多少")),
                ),
                rep.cell(
                    "功能科目:" + item,
                    f"{pct(amount, budget)}%",
                    str(pct(amount, budget)),
                    "%",
                    "完成年初预算的比例",
                    "执行率",
                    item,
                ),
            ]
        )
    rep.table(None, f"单位：{rep.money.unit}", ["科目名称", "年初预算数", "支出决算数", "完成年初预算的比例"], rows)
    w.line()
    w.line(
        f"决算数{'大于' if gf > cur.gf_b0 else '小于'}"
        f"年初预算数的主要原因是{r.choice(('年中追加了上级专项资金', '部分项目年中调整', '人员调资和政策性增支'))}。"
    )
    w.line()
    sec += 1
    w.line(h.h1(sec, "一般公共预算财政拨款基本支出决算情况说明"))
    w.line()
    w.line(
        f"{y}年度一般公共预算财政拨款基本支出{rep.m('基本支出', cur.basic, '一般公共预算财政拨款基本支出', asks=_ask(('literal', '一般公共预算财政拨款基本支出是多少')))}，其中："
    )
    w.line(
        f"人员经费{rep.m('人员经费', cur.personnel, asks=_ask(('literal', '人员经费是多少'), ('paraphrase', '人头费是多少')))}，主要包括：基本工资、津贴补贴、奖金、伙食补助费、绩效工资、"
        "机关事业单位基本养老保险缴费、职业年金缴费、其他社会保障缴费、其他工资福利支出、退休费、抚恤金、生活补助、"
        "医疗费补助、奖励金、住房公积金等。"
    )
    w.line(
        f"日常公用经费{rep.m('日常公用经费', cur.public, asks=_ask(('literal', '日常公用经费是多少'), ('paraphrase', '办公经费是多少')))}，主要包括：{r.choice(PUBLIC_USES)}。"
    )
    w.line()
    sec += 1
    w.line(h.h1(sec, "一般公共预算财政拨款“三公”经费支出决算情况说明"))
    w.line()
    w.line(h.h2(1, "“三公”经费财政拨款支出决算总体情况说明"))
    w.line()
    abroad_label = "因公出国（境）费"
    car_label = "公务用车购置及运行维护费"
    text = (
        f"{y}年度“三公”经费财政拨款支出预算为{rep.m('三公经费', cur.sangong_b, '“三公”经费', '预算', ('预算',), _ask(('scoped', '“三公”经费财政拨款支出预算是多少')))}，"
        f"支出决算为{rep.m('三公经费', cur.sangong, '“三公”经费', asks=_ask(('scoped', '“三公”经费决算是多少'), ('paraphrase', '三公经费实际花了多少')))}，"
        f"完成预算的{rep.rate('三公经费', pct(cur.sangong, cur.sangong_b), '执行率', '“三公”经费完成预算的比例')}。"
        f"其中：{abroad_label}支出预算为{rep.m('因公出国（境）费', cur.abroad_b, abroad_label, '预算', ('预算',))}，"
        f"支出决算为{rep.m('因公出国（境）费', cur.abroad, abroad_label, asks=ASK_ABROAD)}；"
        f"{car_label}支出预算为{rep.m('公务用车购置及运行维护费', cur.car_b, car_label, '预算', ('预算',), _ask(('paraphrase', '公车费用的预算是多少')))}，"
        f"支出决算为{rep.m('公务用车购置及运行维护费', cur.car, car_label, asks=ASK_CAR)}，完成预算的{rep.rate('公务用车购置及运行维护费', pct(cur.car, cur.car_b), '执行率', car_label + '完成预算的比例')}；"
        f"公务接待费支出预算为{rep.m('公务接待费', cur.reception_b, '公务接待费', '预算', ('预算',), _ask(('paraphrase', '原本打算花多少接待费'), ('scoped', '公务接待费预算是多少')))}，"
        f"支出决算为{rep.m('公务接待费', cur.reception, '公务接待费', asks=_ask(('paraphrase', '接待费实际花了多少')))}，完成预算的{rep.rate('公务接待费', pct(cur.reception, cur.reception_b), '执行率', '公务接待费完成预算的比例')}。"
    )
    under = cur.sangong <= cur.sangong_b
    reasons = (
        ("厉行节约，严格控制公务用车使用和公务接待标准", "严格执行中央八项规定精神，压减一般性支出")
        if under
        else ("承接上级检查任务增加", "公务用车老化，维修费用增加")
    )
    text += f"{y}年度“三公”经费支出决算数{'小于' if under else '大于'}预算数的主要原因是{r.choice(reasons)}。"
    dlt = cur.sangong - prev.sangong
    if dlt:
        text += (
            f"{y}年度“三公”经费支出决算数比{py}年度{'增加' if dlt > 0 else '减少'}"
            f"{rep.m('三公经费', abs(dlt), '“三公”经费', '增减', rep.dq(dlt > 0), _ask(('paraphrase', f'三公经费比{py}年' + ('多花了多少' if dlt > 0 else '少花了多少'))))}，"
            f"{'增长' if dlt > 0 else '下降'}"
            f"{rep.rate('三公经费', pct(abs(dlt), prev.sangong), '增减率', '“三公”经费', rep.dq(dlt > 0))}。"
        )
    w.line(text)
    w.line()
    if under:
        rep.derive_difference("三公经费预算还剩多少没花", rep.last("三公经费", "预算"), rep.last("三公经费"))
    if cur.reception < cur.reception_b and r.random() < 0.5:
        rep.derive_difference("公务接待费比预算少花了多少", rep.last("公务接待费", "预算"), rep.last("公务接待费"))
    if dlt and not rep.prev_report:
        rep.derive_previous("{PY}年三公经费是多少", rep.last("三公经费"), rep.last("三公经费", "增减"))
    w.line(h.h2(2, "“三公”经费财政拨款支出决算具体情况说明"))
    w.line()
    if cur.sangong:
        w.line(
            f"{y}年度“三公”经费财政拨款支出决算中，"
            f"因公出国（境）费支出决算{rep.m('因公出国（境）费', cur.abroad, abroad_label)}，"
            f"占{rep.rate('因公出国（境）费', pct(cur.abroad, cur.sangong), '占比', '因公出国（境）费占比')}；"
            f"公务用车购置及运行维护费支出决算{rep.m('公务用车购置及运行维护费', cur.car, car_label)}，占{rep.rate('公务用车购置及运行维护费', pct(cur.car, cur.sangong), '占比', car_label + '占比', asks=_ask(('literal', '公务用车购置及运行维护费占“三公”经费的比例')))}；"
            f"公务接待费支出决算{rep.m('公务接待费', cur.reception, '公务接待费')}，"
            f"占{rep.rate('公务接待费', pct(cur.reception, cur.sangong), '占比', '公务接待费占比')}。具体情况如下："
        )
    if cur.abroad:
        w.line(
            f"{h.n3(1)}因公出国（境）费支出{rep.m('因公出国（境）费', cur.abroad, abroad_label)}。"
            f"组织出国（境）团组{rep.n('出国团组', r.randint(1, 2), '个')}，主要用于考察学习。"
        )
    else:
        w.line(
            f"{h.n3(1)}因公出国（境）费支出{rep.m('因公出国（境）费', 0, abroad_label)}。全年未安排因公出国（境）团组。"
        )
    car = f"{h.n3(2)}公务用车购置及运行维护费支出{rep.m('公务用车购置及运行维护费', cur.car, car_label)}。其中：公务用车购置支出{rep.m('公务用车购置费', cur.car_buy, '公务用车购置费', asks=ASK_CAR_BUY)}，"
    if cur.car_buy:
        car += f"购置公务用车{rep.n('购置车辆数', 1, '辆')}，用于{r.choice(('执法执勤', '应急保障', '下乡工作'))}；"
    else:
        car += "本年度未购置公务用车；"
    car += (
        f"公务用车运行维护费支出{rep.m('公务用车运行维护费', cur.car_run, '公务用车运行维护费', asks=ASK_CAR_RUN)}，主要用于{r.choice(('开展工作所需的公务用车燃料费、维修费、过路过桥费、保险费等支出', '执法检查、下乡调研等工作所需的公务用车运行维护支出'))}。"
        f"截至{y}年12月31日，单位开支财政拨款的公务用车保有量为{rep.n('实有车辆', cur.cars, '辆', asks=_ask(('paraphrase', '有多少辆公车'), ('literal', '公务用车保有量是多少')))}。"
    )
    w.line(car)
    yuan = Money("元", True, "0元")
    restated = rep.money.unit == "万元" and r.random() < 0.3
    rec_text = (
        rep.m("公务接待费", cur.reception, "公务接待费", money=yuan)
        if restated
        else rep.m("公务接待费", cur.reception, "公务接待费")
    )
    w.line(
        f"{h.n3(3)}公务接待费支出{rec_text}。主要用于{r.choice(('上级部门检查指导、兄弟' + rep.peers + '考察交流的接待支出', '执行公务、开展业务活动开支的接待费用'))}。"
        f"国内公务接待{rep.n('接待批次', cur.batches, '批次', asks=ASK_BATCHES)}，"
        f"{rep.n('接待人次', cur.visitors, '人次', asks=ASK_VISITORS)}（不包括陪同人员）。"
    )
    w.line()
    sec += 1
    w.line(h.h1(sec, "其他重要事项的说明"))
    w.line()
    sub = 0
    if r.random() < 0.7:
        sub += 1
        w.line(h.h2(sub, "机关运行经费支出情况"))
        w.line()
        text = f"本部门{y}年度机关运行经费支出{rep.m('机关运行经费', cur.public, '机关运行经费', asks=_ask(('literal', '机关运行经费是多少')))}"
        if cur.public != prev.public:
            up = cur.public > prev.public
            text += (
                f"，比上年{'增加' if up else '减少'}"
                f"{rep.m('机关运行经费', abs(cur.public - prev.public), '机关运行经费', '增减', rep.dq(up))}，"
                f"{'增长' if up else '下降'}{rep.rate('机关运行经费', pct(abs(cur.public - prev.public), prev.public), '增减率', '机关运行经费', rep.dq(up), _ask(('scoped', '机关运行经费比上年变化了百分之几')))}"
                f"，主要原因是{'人员增加及办公场所维修' if up else '压减办公费、水电费等一般性支出'}"
            )
        w.line(text + "。")
        w.line()
    if r.random() < 0.5:
        sub += 1
        w.line(h.h2(sub, "政府采购支出情况"))
        w.line()
        gp = cur.public // 2 + cur.project // 5
        q = rep.quantum
        gp = max(3 * q, gp // q * q)
        goods, works = _split(r, gp, 3, q)[:2]
        services = gp - goods - works
        w.line(
            f"{y}年度政府采购支出总额{rep.m('政府采购支出', gp, '政府采购支出总额', asks=_ask(('literal', '政府采购支出总额是多少')))}，其中：政府采购货物支出{rep.m('政府采购货物支出', goods)}、"
            f"政府采购工程支出{rep.m('政府采购工程支出', works)}、"
            f"政府采购服务支出{rep.m('政府采购服务支出', services)}。"
        )
        w.line()
    if r.random() < 0.25:
        sub += 1
        w.line(h.h2(sub, "会议费、培训费支出情况"))
        w.line()
        meet = rep.amount(r.uniform(0.3, 4))
        train = rep.amount(r.uniform(0.5, 8))
        w.line(
            f"{y}年度会议费支出{rep.m('会议费', meet, '会议费', asks=_ask(('literal', '会议费是多少'), ('paraphrase', '开会花了多少钱')))}，"
            f"培训费支出{rep.m('培训费', train, '培训费', asks=_ask(('literal', '培训费支出多少')))}。"
        )
        w.line()
    sub += 1
    w.line(h.h2(sub, "绩效管理情况"))
    w.line()
    inds = indicator_values(rep, 2)
    projects = [n for n, _ in cur.projects if n != "其他项目支出"]
    text = (
        f"{y}年我局对{projects[0]}等{rep.n('绩效自评项目数', len(projects), '个')}项目开展了绩效自评，涉及资金"
        f"{rep.m('项目支出', cur.project, '绩效自评涉及资金')}。全年"
    )
    text += (
        "，".join(f"{ind.prose.removeprefix('全年')}{indicator_text(rep, ind, actual)}" for ind, actual, _, _ in inds)
        + "。"
    )
    w.line(text)
    w.line()
    w.line("第三部分  名词解释")
    w.line()
    for i, g in enumerate(GLOSSARY, start=1):
        w.line(f"{i}.{g}")
    return title


# ---------------------------------------------------------------------------------------------
# “三公”经费说明 (and the variant with 部门预算执行)
# ---------------------------------------------------------------------------------------------


def sangong_report(rep: Report) -> str:
    r, cur, prev, w, h, y, py = rep.r, rep.cur, rep.prev, rep.w, rep.h, rep.y, rep.py
    org = rep.org
    with_budget = r.random() < 0.35
    if with_budget:
        title = f"{org}{y}年度“三公”经费及部门预算执行情况说明"
    else:
        title = r.choice(
            (
                f"关于{org}{y}年度“三公”经费支出情况的说明",
                f"{org}{y}年“三公”经费支出情况说明",
                f"{org}{y}年度“三公”经费决算情况说明",
            )
        )
    w.line(title)
    w.line()
    w.line(
        f"根据{rep.lv}财政局关于做好部门决算和“三公”经费公开工作的要求，现将我局{y}年度"
        + ("部门预算执行和“三公”经费支出情况说明如下：" if with_budget else "“三公”经费支出情况说明如下：")
    )
    w.line()
    sec = 0
    if with_budget or r.random() < 0.5:
        sec += 1
        w.line(h.h1(sec, "部门基本情况"))
        w.line()
        total = cur.staff_admin + cur.staff_inst
        w.line(
            f"{org}为{rep.lv}人民政府工作部门。{y}"
            f"年末核定编制{rep.n('编制数', total, '名', asks=_ask(('literal', '核定编制多少名')))}，"
            f"实有在职人员{rep.n('在职人员', cur.staff, '人', asks=_ask(('paraphrase', '在职的有多少人')))}；"
            f"实有公务用车{rep.n('实有车辆', cur.cars, '辆', asks=_ask(('paraphrase', '单位有几辆公车')))}。"
        )
        w.line()
    if with_budget:
        sec += 1
        w.line(h.h1(sec, "部门预算执行情况"))
        w.line()
        w.line(h.h2(1, "总体执行情况"))
        w.line()
        w.line(
            f"{y}年我局年初部门预算{rep.m('整体支出', cur.budget0, '年初部门预算', '年初预算', ('年初预算',), _ask(('scoped', '年初部门预算是多少'), ('paraphrase', '年初一共安排了多少预算')))}，"
            f"其中：基本支出{rep.m('基本支出', cur.basic_b0, '基本支出年初预算', '年初预算', ('年初预算',), _ask(('scoped', '基本支出年初预算是多少')))}，"
            f"项目支出{rep.m('项目支出', cur.project_b0, '项目支出年初预算', '年初预算', ('年初预算',), _ask(('scoped', '项目支出年初预算是多少')))}。"
            f"年度执行中，追加{r.choice(('上级专项资金', '重点工作经费', '政策性增资'))}，调整后预算为{rep.m('整体支出', cur.budget1, '调整后预算', '调整后预算', ('调整后预算',), _ask(('scoped', '调整后预算是多少')))}。"
            f"全年实际支出{rep.m('整体支出', cur.total, '实际支出', asks=_ask(('paraphrase', '全年实际花了多少钱'), ('literal', '全年实际支出是多少')))}，"
            f"预算执行率{rep.rate('预算执行率', pct(cur.total, cur.budget1), '执行率', '预算执行率', asks=_ask(('literal', '预算执行率是多少')))}，"
            f"其中基本支出{rep.m('基本支出', cur.basic, asks=_ask(('scoped', '基本支出实际支出是多少')))}、"
            f"项目支出{rep.m('项目支出', cur.project, asks=_ask(('scoped', '项目支出实际支出是多少')))}。"
        )
        w.line()
        w.line(h.h2(2, "基本支出执行情况"))
        w.line()
        text = f"基本支出实际支出{rep.m('基本支出', cur.basic)}，其中：人员经费{rep.m('人员经费', cur.personnel, asks=_ask(('paraphrase', '人头费是多少'), ('literal', '人员经费是多少')))}"
        if cur.personnel != prev.personnel:
            up = cur.personnel > prev.personnel
            text += f"，比上年{'增长' if up else '下降'}{rep.rate('人员经费', pct(abs(cur.personnel - prev.personnel), prev.personnel, 1), '增减率', '人员经费', rep.dq(up))}"
        text += f"；日常公用经费{rep.m('日常公用经费', cur.public, asks=_ask(('paraphrase', '办公经费是多少')))}"
        if cur.public != prev.public:
            up = cur.public > prev.public
            text += f"，比上年{'增长' if up else '下降'}{rep.rate('日常公用经费', pct(abs(cur.public - prev.public), prev.public, 1), '增减率', '日常公用经费', rep.dq(up))}"
        w.line(text + "。")
        w.line()
        w.line(h.h2(3, "项目支出执行情况"))
        w.line()
        w.line(f"项目支出实际支出{rep.m('项目支出', cur.project)}，重点项目执行情况如下：")
        w.line()
        rows = []
        unit = rep.money.unit
        for name, amount in cur.projects:
            if name == "其他项目支出":
                continue
            budget = rep.budget_for(amount, 0.8)
            rows.append(
                [
                    name,
                    rep.mcell(
                        "项目:" + name,
                        budget,
                        f"预算金额({unit})",
                        "预算",
                        name,
                        _ask(("literal", f"{name}预算金额是多少")),
                    ),
                    rep.mcell(
                        "项目:" + name,
                        amount,
                        f"实际支出({unit})",
                        "决算",
                        name,
                        _ask(("literal", f"{name}实际支出是多少")),
                    ),
                    rep.cell(
                        "项目:" + name,
                        str(pct(amount, budget)),
                        str(pct(amount, budget)),
                        "%",
                        "执行率(%)",
                        "执行率",
                        name,
                        _ask(("literal", f"{name}执行率是多少")),
                    ),
                ]
            )
        rep.table(None, None, ["重点项目名称", f"预算金额({unit})", f"实际支出({unit})", "执行率(%)"], rows)
        w.line()
    sec += 1
    w.line(h.h1(sec, r.choice(("“三公”经费支出总体情况", "“三公”经费总体情况", "总体情况"))))
    w.line()
    dlt = cur.sangong - prev.sangong
    text = (
        f"{y}年度我局“三公”经费预算{rep.m('三公经费', cur.sangong_b, '“三公”经费', '预算', ('预算',), _ask(('scoped', '“三公”经费预算是多少'), ('paraphrase', '三公经费年初打算花多少')))}，"
        f"决算{rep.m('三公经费', cur.sangong, '“三公”经费', asks=_ask(('scoped', '“三公”经费决算是多少'), ('paraphrase', '三公经费实际花了多少')))}"
    )
    if cur.sangong != cur.sangong_b:
        under = cur.sangong < cur.sangong_b
        text += f"，比预算{'减少' if under else '增加'}{rep.m('三公经费', abs(cur.sangong - cur.sangong_b), '“三公”经费', '比预算', ('比预算',))}"
    if dlt:
        prev_ask = _ask(("scoped", "{PY}年三公经费是多少")) if not rep.prev_report else ()
        text += (
            f"；比上年决算{rep.m('三公经费', prev.sangong, '“三公”经费', '上年决算', ('上年',), prev_ask, year=py)}"
            f"{'增加' if dlt > 0 else '减少'}"
            f"{rep.m('三公经费', abs(dlt), '“三公”经费', '增减', rep.dq(dlt > 0), _ask(('paraphrase', '三公经费比上年' + ('多花了多少' if dlt > 0 else '少花了多少'))))}，"
            f"{'增长' if dlt > 0 else '下降'}{rep.rate('三公经费', pct(abs(dlt), prev.sangong), '增减率', '“三公”经费', rep.dq(dlt > 0), _ask(('literal', '三公经费比上年' + ('增长' if dlt > 0 else '下降') + '了百分之几')))}"
        )
    w.line(text + "。")
    w.line()
    sangong_table(rep, r.random() < 0.5)
    w.line()
    sec += 1
    w.line(h.h1(sec, "具体情况"))
    w.line()
    abroad_label, car_label, _ = sangong_items(rep)
    abroad, why = abroad_text(rep, abroad_label)
    w.line(f"{h.n3(1)}{abroad_label}{abroad}，{why}。")
    car = f"{h.n3(2)}{car_label}{rep.m('公务用车购置及运行维护费', cur.car, car_label, asks=ASK_CAR)}，其中：公务用车购置费{rep.m('公务用车购置费', cur.car_buy, '公务用车购置费', asks=ASK_CAR_BUY)}"
    car += (
        "，本年未购置公务用车；"
        if not cur.car_buy
        else f"，购置{r.choice(('执法执勤用车', '应急保障用车'))}{rep.n('购置车辆数', 1, '辆')}；"
    )
    car += f"公务用车运行维护费{rep.m('公务用车运行维护费', cur.car_run, '公务用车运行维护费', asks=ASK_CAR_RUN)}"
    if cur.car_run != prev.car_run:
        up = cur.car_run > prev.car_run
        car += (
            f"，比上年{'增加' if up else '减少'}{rep.m('公务用车运行维护费', abs(cur.car_run - prev.car_run), '公务用车运行维护费', '增减', rep.dq(up), _ask(('scoped', '公务用车运行维护费比上年增减了多少')))}，"
            f"{'增长' if up else '下降'}{rep.rate('公务用车运行维护费', pct(abs(cur.car_run - prev.car_run), prev.car_run), '增减率', '公务用车运行维护费', rep.dq(up))}"
        )
    car += f"。截至{y}年底，我局开支财政拨款的公务用车保有量{rep.n('实有车辆', cur.cars, '辆')}。"
    w.line(car)
    rec = f"{h.n3(3)}公务接待费{rep.m('公务接待费', cur.reception, '公务接待费', asks=ASK_RECEPTION)}"
    if cur.reception != prev.reception:
        up = cur.reception > prev.reception
        rec += (
            f"，比上年{'增加' if up else '减少'}{rep.m('公务接待费', abs(cur.reception - prev.reception), '公务接待费', '增减', rep.dq(up), _ask(('paraphrase', '接待费比上年' + ('多花了多少' if up else '少花了多少'))))}，"
            f"{'增长' if up else '下降'}{rep.rate('公务接待费', pct(abs(cur.reception - prev.reception), prev.reception), '增减率', '公务接待费', rep.dq(up))}"
        )
    rec += f"。全年{reception_detail(rep)}。"
    w.line(rec)
    w.line()
    if cur.sangong and r.random() < 0.5:
        rep.derive_share(
            r.choice(("公务接待费占“三公”经费的比例是多少", "公车费用占三公经费的比重是多少")),
            rep.last("公务接待费"),
            rep.last("三公经费"),
        )
    if r.random() < 0.5:
        sec += 1
        w.line(h.h1(sec, "其他说明"))
        w.line()
        meet = rep.amount(r.uniform(0.3, 4))
        w.line(
            f"{y}年度机关运行经费{rep.m('机关运行经费', cur.public, '机关运行经费', asks=_ask(('literal', '机关运行经费是多少')))}，"
            f"会议费{rep.m('会议费', meet, '会议费', asks=_ask(('literal', '会议费是多少')))}。"
        )
        w.line()
    sec += 1
    w.line(h.h1(sec, r.choice(("存在的问题及下一步工作", "下一步工作"))))
    w.line()
    nxt = rep.amount(cur.sangong_b / WAN * r.uniform(0.85, 1.0))
    w.line(
        f"{y + 1}年，我局将进一步加强预算执行管理，“三公”经费预算安排按照只减不增的原则，控制在"
        f"{rep.w.add(Fig('三公经费', '控制数', '“三公”经费', rep.money.text(nxt), str(rep.money.value(nxt)), rep.money.unit, y + 1, ('目标',)))}以内。"
    )
    w.line()
    w.line(org)
    w.line(f"{y + 1}年{r.randint(2, 9)}月")
    return title


RENDERERS: tuple[Callable[[Report], str], ...] = (perf_report, final_accounts, sangong_report)


# ---------------------------------------------------------------------------------------------
# Questions
# ---------------------------------------------------------------------------------------------

KIND_WEIGHTS = (
    ("literal", 24),
    ("paraphrase", 30),
    ("scoped", 12),
    ("cell", 10),
    ("derived", 14),
    ("unanswerable", 10),
)


def org_names(place: Place, dept: Department) -> list[str]:
    """Names a user would type for the organisation: full, without the city, with a short form."""
    names = [place.name + dept.name]
    if place.short != place.name:
        names.append(place.short + dept.name)
    names.extend(place.short + s for s in dept.shorts)
    return names


def phrase(r: random.Random, place: Place, dept: Department, year: int, body: str) -> str:
    """A question: the organisation and the year in one of the orders people use, then the body."""
    org = r.choice(org_names(place, dept))
    if "{PY}" in body:
        text = org + body.format(PY=year - 1)
    else:
        text = (
            r.choice((f"{year}年{org}", f"{org}{year}年", f"{year}年度{org}", f"{org}{year}年度", f"{year}年{org}"))
            + body
        )
    return text + ("？" if r.random() < 0.2 else "")


def _norm(fig: Fig) -> tuple[Decimal, str] | None:
    if fig.value is None or fig.unit is None:
        return None
    value = Decimal(fig.value)
    if fig.unit in MONEY_SCALE:
        return value * MONEY_SCALE[fig.unit], "元"
    return value, fig.unit


@dataclass
class Candidate:
    kind: str
    body: str
    answer: str | None
    evidence: str | None
    unit: str | None = None
    inputs: tuple[str, ...] = ()
    formula: str = ""
    key: str = ""
    fig: Fig | None = None  # the printed figure, whose evidence is worked out only when asked

    @property
    def gold_evidence(self) -> str | None:
        return self.fig.evidence if self.fig is not None else self.evidence


def candidates(rep: Report, text: str, absent: Sequence[str]) -> dict[str, list[Candidate]]:
    """Every question this report can carry, by kind; a body two different figures would answer
    is dropped, since the report itself would not say which one is meant."""
    by_body: dict[str, tuple[Fig, str]] = {}
    clash: set[str] = set()
    for fig in rep.w.figs:
        for kind, body in fig.asks:
            seen = by_body.get(body)
            if seen is None:
                by_body[body] = (fig, kind)
            elif _norm(seen[0]) != _norm(fig):
                clash.add(body)
    out: dict[str, list[Candidate]] = {k: [] for k, _ in KIND_WEIGHTS}
    for body, (fig, kind) in by_body.items():
        if body in clash:
            continue
        bare = fig.cell and fig.unit is not None and not fig.text.endswith(fig.unit)
        out["cell" if fig.cell else kind].append(
            Candidate(kind, body, fig.text, None, fig.unit if bare else None, key=fig.key + "|" + fig.stage, fig=fig)
        )
    for d in rep.w.derived:
        out["derived"].append(
            Candidate("derived", d.body, d.answer, d.evidence, d.unit, d.inputs, d.formula, "derived|" + d.body)
        )
    for body, words in ABSENT_ITEMS:
        if not any(word in text for word in words):
            out["unanswerable"].append(Candidate("unanswerable", body, None, None, key="absent|" + body))
    for body in absent:
        out["unanswerable"].append(Candidate("unanswerable", body, None, None, key="absent-org|" + body))
    return out


def pick_questions(r: random.Random, pool: dict[str, list[Candidate]], count: int) -> list[Candidate]:
    kinds = [k for k, _ in KIND_WEIGHTS]
    weights = [wt for _, wt in KIND_WEIGHTS]
    chosen: list[Candidate] = []
    used: set[str] = set()
    for _ in range(count):
        kind = r.choices(kinds, weights)[0]
        for k in (kind, "paraphrase", "literal", "scoped", "cell", "derived"):
            options = [c for c in pool[k] if c.key not in used and c.body not in {x.body for x in chosen}]
            if options:
                pick = r.choice(options)
                chosen.append(pick)
                used.add(pick.key)
                break
    return chosen


def absent_questions(
    r: random.Random, slot: Slot, series_years: dict[tuple[str, str], set[int]], place_depts: dict[str, set[str]]
) -> list[str]:
    """Bodies (carrying their own scope) about a department or year no report of the corpus covers."""
    out = []
    place = slot.place
    missing = [d for d in DEPARTMENTS if d.name not in place_depts.get(place.name, set())]
    names = [d.name for d in missing] + list(ABSENT_DEPARTMENTS)
    other = r.choice(names)
    out.append(
        f"ORG:{place.name}{other}|{slot.year}|"
        + r.choice(("公务接待费是多少", "“三公”经费是多少", "部门整体支出是多少"))
    )
    years = series_years[(place.name, slot.dept.name)]
    free = [y for y in range(2015, 2024) if not {y - 1, y, y + 1} & years]
    if free:
        y = r.choice(free)
        out.append(
            f"ORG:{place.name}{slot.dept.name}|{y}|"
            + r.choice(("公务接待费是多少", "三公经费是多少", "人员经费是多少"))
        )
    return out


def question_rows(
    r: random.Random, rep: Report, file: str, text: str, absent: Sequence[str], count: int, first_id: int
) -> list[dict[str, Any]]:
    place, dept, year = rep.slot.place, rep.slot.dept, rep.slot.year
    rows = []
    for i, c in enumerate(pick_questions(r, candidates(rep, text, absent), count)):
        if c.body.startswith("ORG:"):
            org, y, body = c.body[4:].split("|")
            question = r.choice((f"{y}年{org}{body}", f"{org}{y}年{body}"))
        else:
            question = phrase(r, place, dept, year, c.body)
        row: dict[str, Any] = {
            "id": f"gen-{first_id + i:06d}",
            "question": question,
            "answer": c.answer,
            "evidence": c.gold_evidence,
            "doc": file if c.answer is not None else None,
            "kind": c.kind,
        }
        if c.unit:
            row["unit"] = c.unit
        if c.kind == "derived":
            row["inputs"] = list(c.inputs)
            row["formula"] = c.formula
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------------------------

IDENTITIES = (
    ("整体支出 = 基本支出 + 项目支出", "整体支出", ("基本支出", "项目支出")),
    ("基本支出 = 人员经费 + 日常公用经费", "基本支出", ("人员经费", "日常公用经费")),
    (
        "三公经费 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费",
        "三公经费",
        ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"),
    ),
    (
        "公务用车购置及运行维护费 = 公务用车购置费 + 公务用车运行维护费",
        "公务用车购置及运行维护费",
        ("公务用车购置费", "公务用车运行维护费"),
    ),
)


def identities(figs: Sequence[Fig], year: int) -> list[dict[str, Any]]:
    """The identities whose every term the report prints (as this year's actual figure)."""
    first: dict[str, Fig] = {}
    for fig in figs:
        if fig.stage == "决算" and fig.year == year and fig.key not in first and _norm(fig) is not None:
            first[fig.key] = fig
    out = []
    for name, lhs, rhs in IDENTITIES:
        if lhs in first and all(k in first for k in rhs):
            total = sum((_norm(first[k])[0] for k in rhs), Decimal(0))  # type: ignore[index]
            out.append(
                {
                    "identity": name,
                    "lhs": first[lhs].text,
                    "rhs": [first[k].text for k in rhs],
                    "holds": _norm(first[lhs])[0] == total,  # type: ignore[index]
                }
            )
    return out


@dataclass(frozen=True)
class GeneratedCorpus:
    """What `write_corpus` wrote: counts, the corpus folder and the report file names."""

    reports: int
    questions: int
    folder: Path  # the corpus root: reports/, truth.jsonl, questions.jsonl
    files: tuple[str, ...]
    departments: int
    years: tuple[int, ...]

    @property
    def reports_dir(self) -> Path:
        return self.folder / "reports"

    @property
    def truth_file(self) -> Path:
        return self.folder / "truth.jsonl"

    @property
    def questions_file(self) -> Path:
        return self.folder / "questions.jsonl"


def _clear_previous(out: Path) -> None:
    """Remove the reports of an earlier generated corpus in out (those its truth.jsonl lists);
    refuse to write over anything else."""
    reports = out / "reports"
    if not reports.exists() or not any(reports.iterdir()):
        return
    truth = out / "truth.jsonl"
    if truth.exists():
        with truth.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    (reports / json.loads(line)["file"]).unlink(missing_ok=True)
    if any(reports.iterdir()):
        raise FileExistsError(f"{reports} holds files that are not a generated corpus; choose an empty folder")


def write_corpus(
    out: Path, reports: int, seed: int = 0, questions_per_report: int = 4, encodings: bool = True
) -> GeneratedCorpus:
    """Write `reports` reports, their truth and questions under out (see the module docstring).

    Same arguments, same bytes.  A folder holding an earlier generated corpus is replaced.
    """
    if reports < 1:
        raise ValueError("reports must be at least 1")
    out = Path(out)
    _clear_previous(out)
    folder = out / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    slots = plan(reports, seed)
    series_years: dict[tuple[str, str], set[int]] = {}
    place_depts: dict[str, set[str]] = {}
    for s in slots:
        series_years.setdefault((s.place.name, s.dept.name), set()).add(s.year)
        place_depts.setdefault(s.place.name, set()).add(s.dept.name)
    files: list[str] = []
    names: set[str] = set()
    n_questions = 0
    with (
        (out / "truth.jsonl").open("w", encoding="utf-8", newline="\n") as truth,
        (out / "questions.jsonl").open("w", encoding="utf-8", newline="\n") as qfile,
    ):
        for slot in slots:
            r = random.Random(f"report|{seed}|{slot.index}")
            cur = year_of(seed, slot.place, slot.dept, slot.year)
            prev = year_of(seed, slot.place, slot.dept, slot.year - 1)
            wan = cur.personnel % 10000 == 0 and prev.personnel % 10000 == 0 and cur.car_run % 10000 == 0
            money_unit = "万元" if wan and r.random() < 0.9 else "元"
            money = Money(
                money_unit,
                money_unit == "元" or r.random() < 0.55,
                r.choice(("0元", "0元", "0.00万元")) if money_unit == "万元" else "0元",
            )
            rep = Report(
                r,
                slot,
                cur,
                prev,
                money,
                Writer(),
                Headings(r),
                prev_report=(slot.year - 1) in series_years[(slot.place.name, slot.dept.name)],
                sep_table=r.choice((" | ", "  ", "\t", " | ", "  ")),
                bare_zero=r.random() < 0.4,
            )
            title = RENDERERS[slot.kind](rep)
            text = rep.w.text()
            name = title if r.random() < 0.7 else f"{slot.year}年度{rep.org}{REPORT_TYPES[slot.kind]}"
            name = name.replace("/", "／") + ".txt"
            if name in names:
                name = f"{name[:-4]}（{slot.index}）.txt"
            names.add(name)
            files.append(name)
            encoding = "utf-8"
            if encodings:
                roll = r.random()
                encoding = "gb18030" if roll < 0.2 else "utf-8-sig" if roll < 0.25 else "utf-8"
            newline = "\r\n" if r.random() < 0.15 else "\n"
            (folder / name).write_bytes(text.replace("\n", newline).encode(encoding))
            truth.write(
                json.dumps(
                    {
                        "file": name,
                        "title": title,
                        "place": slot.place.name,
                        "department": slot.dept.name,
                        "organisation": rep.org,
                        "year": slot.year,
                        "report_type": REPORT_TYPES[slot.kind],
                        "encoding": encoding,
                        "newline": "crlf" if newline == "\r\n" else "lf",
                        "money_unit": money.unit,
                        "figures": [f.truth() for f in rep.w.figs],
                        "identities": identities(rep.w.figs, slot.year),
                    },
                    ensure_ascii=False,
                    separators=(",", ":"),
                )
                + "\n"
            )
            absent = absent_questions(r, slot, series_years, place_depts)
            for row in question_rows(r, rep, name, text, absent, questions_per_report, n_questions + 1):
                qfile.write(json.dumps(row, ensure_ascii=False) + "\n")
                n_questions += 1
    return GeneratedCorpus(
        reports=len(files),
        questions=n_questions,
        folder=out,
        files=tuple(files),
        departments=len({s.dept.name for s in slots}),
        years=tuple(sorted({s.year for s in slots})),
    )

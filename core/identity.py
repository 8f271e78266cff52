"""Which unit a report evaluates, and which year: from labels, the title and the opening lines.

Both are read from the text alone: a report whose text does not state its unit or its year gets
None (the batch grouping may still fall back on the file name, see core/units.py). Only the head
of the text is searched for titles and labels; page furniture (a web page's 索引号, 发布机构,
发布日期 …, a document-sharing site's 上传人, 第1页 / 共16页 …) is never read as the unit or the
year. The word lists below are tables: adding a label or a suffix is adding an entry.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TypeVar

from core.scanning import scan, scan_near

_T = TypeVar("_T")


def _alternation(words: tuple[str, ...]) -> str:
    """A regex alternation of literal words, longest first (so 委员会 is tried before 委)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


# ---- tables ---------------------------------------------------------------------------------

UNIT_SUFFIXES = (
    "人民政府", "政府", "街道办事处", "办事处", "委员会", "管理委员会", "局", "委", "办公室", "办",
    "中心", "院", "所", "站", "队", "馆", "处", "会", "部", "厅", "署", "镇", "乡", "街道", "苏木",
    "学校", "中学", "小学", "幼儿园", "大学", "校",
)  # fmt: skip
"""Names of units end in one of these."""
UNIT_SUFFIX = _alternation(UNIT_SUFFIXES)

STRONG_SUFFIXES = (
    "人民政府", "街道办事处", "办事处", "管理委员会", "委员会", "办公室", "局", "厅", "署",
    "中心", "服务中心", "中心学校", "中心小学", "中心卫生院", "中心医院", "人民医院", "医院",
    "卫生院", "保健院", "中学", "小学", "学校", "幼儿园", "学院", "大学", "图书馆", "文化馆",
    "博物馆", "档案馆", "纪念馆", "研究院", "研究所",
)  # fmt: skip
"""Endings that close a name even when more words follow it ("某州第二人民医院" + a project's
name in a title): a name is cut after the first of these (longest first at each place, so
中心学校 is not cut after 中心). Single characters that also end ordinary words (乡 of 城乡,
委 of 委员会, 会, 部) are not among them."""

UNIT_LABELS = (
    "部门（单位）名称", "部门(单位)名称", "单位名称", "部门名称", "评价单位", "被评价单位",
    "填报单位", "实施单位", "项目实施单位", "预算单位", "申报单位", "项目单位", "自评单位",
    "编制单位", "报送单位", "汇总单位",
)  # fmt: skip
"""Labels whose value is the evaluated unit (编制/报送/汇总单位: the compiler of a summary)."""

FALLBACK_UNIT_LABELS = ("主管部门",)
"""Labels naming the unit only when no evaluated-unit label (实施单位 …) is present: the 主管部门
of a project form supervises the unit that carried the project out."""

FORM_LABELS = (
    *UNIT_LABELS, *FALLBACK_UNIT_LABELS, "项目名称", "项目编号", "单位负责人", "负责人",
    "联系人", "联系电话", "填报人", "填报日期", "报告日期", "评价年度", "项目资金", "自评得分",
    "主管单位", "项目负责人", "单位地址", "统一社会信用代码",
)  # fmt: skip
"""Form labels: a flattened form's cell ends where the next label begins."""

FURNITURE_LABELS = (
    "索引号", "发布机构", "发布单位", "发文机关", "发文单位", "文号", "发文字号", "发布日期",
    "发布时间", "成文日期", "公开日期", "公开时间", "生成日期", "上传时间", "上传人", "文档编号",
    "时效性", "有效性", "主题分类", "体裁分类", "公开目录", "公开方式", "公开范围", "主题词",
    "浏览次数", "浏览量", "访问量", "点击数", "阅读次数", "来源", "信息来源", "字体", "分享到",
    "打印", "页数", "大小", "格式", "下载", "举报", "登录", "注册", "首页", "您当前的位置",
    "当前位置", "所属机构", "关键词", "分类", "责任编辑", "作者",
)  # fmt: skip
"""Page furniture of a web page or a document-sharing site: a head line that opens with one of
these (after a bullet) is not the report's text, and a label alone on its line makes the next
line its value (a publisher, a date), not the report's either."""

DATE_LABELS = (
    "发布日期", "发布时间", "成文日期", "填报日期", "公开日期", "公开时间", "上传时间", "报告日期",
    "印发日期", "生成日期", "日期", "时间",
)  # fmt: skip
"""A date after one of these is when the page or the form was made, never the evaluated year."""

TITLE_KINDS = ("绩效", "自评", "评价", "决算")
"""Words a report's title contains."""
TITLE_ENDINGS = (
    "报告", "自评表", "评价表", "目标表", "自评", "公开", "决算", "情况", "说明", "结果",
)  # fmt: skip
"""Words a report's title ends with (before a bracketed note and a file extension)."""
TITLE_KIND_ENDINGS = ("决算",)
"""Words that make a title by themselves at its end ("某县某局部门决算")."""
TITLE_BODY_WORDS = (
    "部门整体", "单位整体", "整体支出", "部门决算", "单位决算", "决算", "项目支出", "部门项目",
    "部门预算", "预算资金", "预算绩效", "财政资金", "专项资金", "绩效", "自评", "本级", "市级",
    "县级", "区级", "部门", "单位", "年度",
)  # fmt: skip
"""Where the unit's name ends in a title that has no year after the name: at the first of these
("某县某乡人民政府|部门整体支出绩效自评报告")."""

LEADING_WORDS = (
    "年度", "年", "度", "现将", "我们", "我", "本", "对", "由", "在", "关于", "的", "为", "是",
    "中共", "根据", "按照", "将", "及", "和", "与", "即",
)  # fmt: skip
"""Words that run into a name in prose ("现将2024年度徐闻县…") and are not part of it."""
TITLE_LEADING_WORDS = ("关于", "现将", "根据", "按照", "依据", "即", "对")
"""Words that run into a name in a title or a label's value (关于某县某局2023年度…的报告)."""
TRAILING_WORDS = ("关于", "对", "的", "开展", "组织")

# ---- patterns -------------------------------------------------------------------------------

# A year in ASCII or full-width digits (int() reads both).
_YEAR = r"([2２][0０][0-9０-９]{2}|[1１][9９][0-9０-９]{2})"
_NOT_DIGIT_BEFORE = r"(?<![0-9０-９])"
_CJK = r"\u4e00-\u9fff"
_NAME_CHARS = rf"[{_CJK}（）()]"

_LABELLED_YEAR_RE = re.compile(
    rf"(?:评价|考评|绩效|预算|自评|所属|考核)年度[ \t]*[:：]?[ \t]*{_YEAR}(?![0-9０-９])"
)
_YEAR_IN_TITLE_RE = re.compile(rf"{_YEAR}\s*年")
_YEAR_LINE_RE = re.compile(rf"[(（]?\s*{_YEAR}\s*年度?\s*[)）]?")
# A title's year written in Chinese numerals or full-width digits (二〇二三年度, ２０２３年度).
_WRITTEN_YEAR_RE = re.compile(r"(?:[〇零一二三四五六七八九]{4}|[0-9０-９]{4})(?=[ \t]*年)")
_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九０１２３４５６７８９", "001234567890123456789")
# A line that is only a date: a report's or a signature's date, not the evaluated year.
_DATE_LINE_RE = re.compile(
    rf"{_YEAR}[ \t]*年[ \t]*[0-9０-９]{{1,2}}[ \t]*月(?:[ \t]*[0-9０-９]{{1,2}}[ \t]*日)?"
)

# A year stated in the body: "2023年度", "2023年" not starting a date, "2023年末".
_YEAR_DU_RE = re.compile(rf"{_NOT_DIGIT_BEFORE}{_YEAR}[ \t]*年度")
_YEAR_ONLY_RE = re.compile(
    rf"{_NOT_DIGIT_BEFORE}{_YEAR}[ \t]*年(?![ \t]*度)(?![ \t]*[0-9０-９]{{1,2}}[ \t]*月)(?!初)"
)
_YEAR_DATE_RE = re.compile(rf"{_NOT_DIGIT_BEFORE}{_YEAR}[ \t]*年[ \t]*[0-9０-９]{{1,2}}[ \t]*月")
# What a year in the body must not follow or sit in: a comparison (比2019年), a date label, a
# notice's name (《关于开展2024年…的通知》).
_COMPARED_RE = re.compile(r"(?:比|较|同|与|上|去)[ \t]*$")
_DATE_LABEL_BEFORE_RE = re.compile(rf"(?:{_alternation(DATE_LABELS)})[ \t]*[:：]?[ \t]*$")
_NOTICE_BEFORE_RE = re.compile(r"关于[^。，,；;\n《》]{0,24}$")
_NOTICE_AFTER_RE = re.compile(r"[^。，,；;\n《》]{0,40}?(?:通知|意见|办法|方案|规定|批复)")

_LEADING_WORD_RE = re.compile(rf"(?:{_alternation(LEADING_WORDS)})")
_TITLE_LEADING_WORD_RE = re.compile(rf"(?:{_alternation(TITLE_LEADING_WORDS)})")
# The place a name starts with ("桐岭县", "本溪市"): a leading word is only cut off when at
# least two characters of the place's name remain (本溪市, 将乐县, 即墨区 keep their first).
_PLACE_RE = re.compile(rf"([{_CJK}]+?)(?:自治县|自治州|省|市|州|县|区|旗|盟)")
_TRAILING_WORDS_RE = re.compile(rf"(?:{_alternation(TRAILING_WORDS)})+$")

_LABELLED_UNIT_RE = re.compile(
    rf"(?:{_alternation(UNIT_LABELS)})[ \t]*(?:[（(](?:公章|盖章|签章)[）)])?"
    rf"(?:[ \t]*[:：][ \t]*|[ \t]+)(?P<name>[^\s，,。；;：:|]{{2,60}})"
)
_BARE_LABELLED_UNIT_RE = re.compile(
    r"(?<![\u4e00-\u9fff])(?:单位|部门)[ \t]*(?:[（(](?:公章|盖章|签章)[）)])?[ \t]*[:：][ \t]*"
    r"(?P<name>[^\s，,。；;：:|]{2,60})"
)
# A 主管部门's value, also glued to its label in a form flattened without separators.
_FALLBACK_LABEL_RE = re.compile(
    rf"(?:{_alternation(FALLBACK_UNIT_LABELS)})[ \t]*[:：]?[ \t]*"
    r"(?P<name>[^\s，,。；;：:|]{2,60})"
)
_REGION_PREFIX_RE = re.compile(rf"[{_CJK}]{{1,8}}?[省市州县区旗盟]")
_FORM_LABEL_RE = re.compile(_alternation(FORM_LABELS))
_EVALUATED_LABEL_RE = re.compile(_alternation(UNIT_LABELS))

_STRONG_PREFIX_RE = re.compile(rf"{_NAME_CHARS}{{1,30}}?(?:{_alternation(STRONG_SUFFIXES)})")
_UNIT_NAME_RE = re.compile(rf"{_NAME_CHARS}{{2,40}}?(?:{UNIT_SUFFIX})")
_REGION_RE = re.compile(r"[省市州县区旗盟]")

# Head lines: bullets and page furniture.
_BULLET_RE = re.compile(r"^[\s•·●○◆■□▪*\-–—|>\[【]+")
_FURNITURE_LINE_RE = re.compile(rf"^(?:{_alternation(FURNITURE_LABELS)})(?![{_CJK}])")
_FURNITURE_LABEL_ONLY_RE = re.compile(
    rf"^(?:{_alternation(FURNITURE_LABELS)})[ \t]*[:：\]】]?[ \t]*$"
)
_PAGE_MARKER_RE = re.compile(
    r"(?:_第[0-9]+页$|^第[ \t]*[0-9]+[ \t]*页[ \t]*/[ \t]*共[ \t]*[0-9]+[ \t]*页$|由会员分享"
    r"|超出免费预览|^资源描述$|^亲[,，])"
)
_NO_CJK_RE = re.compile(rf"^[^{_CJK}]*$")
# A shared document's header: 《title.docx》由会员分享… The title is the report's.
_SHARED_TITLE_RE = re.compile(r"^《(?P<title>[^《》\n]{4,80}?)\.(?:docx?|wps|pdf|txt)》")
_PAGE_NUMBER_RE = re.compile(r"^[0-9]{1,3}、")
_CJK_GAP_RE = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[{_CJK}(（])")
_EXTENSION_RE = re.compile(r"\.(?:docx?|wps|pdf|txt)$")

_TITLE_RE = re.compile(
    rf"(?P<title>[^\s，,。；;：:、《》]{{0,60}}?(?:(?:{_alternation(TITLE_KINDS)})"
    rf"[^\s，,。；;：:、《》]{{0,20}}?(?:{_alternation(TITLE_ENDINGS)})"
    rf"|(?<![0-9年度])(?:{_alternation(TITLE_KIND_ENDINGS)})))"
    r"(?P<tail>[ \t]*[(（](?:[^()（）\n]|[(（][^()（）\n]{0,12}[)）]){1,60}[)）])?"
    rf"[ \t]*(?:$|(?=一、|第一部分|[（(]一[)）]|表[0-9一]|{_alternation(FORM_LABELS)}))"
)
# A line that opens like prose or a heading, or names a notice, is not a title. (本, 我, 对
# open prose only before these words: 本溪县 and 对 as a place's first character stay.)
_NOT_A_TITLE_RE = re.compile(
    r"^(?:根据|按照|依据|为了|为进一步|现将|经(?:研究|审核|查)|一是"
    r"|(?:本|我)(?:单位|部门|局|委|办|院|校|镇|乡|街道|中心|次|年|们)|对(?:照|标|[0-9２]|本)"
    r"|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+部分)"
    r"|通知|关于开展"
)
_HEADING_RE = re.compile(
    r"(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+部分)"
)
_TITLE_BODY_RE = re.compile(_alternation(TITLE_BODY_WORDS))

_TOWN_RE = re.compile(
    r"[\u4e00-\u9fff]{1,10}?(?:自治县|县|市|区|旗)[\u4e00-\u9fff]{1,6}?(?:镇|乡|街道)"
    r"(?:人民政府|政府|办事处)?"
)
# Where a _TOWN_RE match lies (see scan_near): the county (县, or 市/区/旗, or the 县 of 自治县)
# ends at most 12 characters in, and the rest (6 characters, 镇/乡/街道, 人民政府) at most 12
# past it.
TOWN_NEAR = ("[县市区旗]", 12, 12)
# A township named without its county ("位奇镇现有…"), and how a report speaks as one (我镇).
_BARE_TOWN_RE = re.compile(r"([\u4e00-\u9fff]{2})(镇|乡)(?!政府|党委|人民政府|村|镇|乡|级)")
_SELF_TOWN_RE = re.compile(r"(?:我|本|全)(镇|乡|街道)")
_NOT_IN_TOWN_NAME_RE = re.compile(r"[乡镇村县市区省的和与及在于对为从向到是有各全本我该]")

HEAD_CHARS = 3000
"""How much of the text holds the title, the cover and its labels."""
HEAD_LINES = 40
_LINE_CHARS = 200
"""Head lines are looked at up to this length (a flattened page can be one long line)."""


# ---- the year -------------------------------------------------------------------------------


def find_year(text: str) -> int | None:
    """The evaluated year as the text states it, else None.

    In order: the title (or a "(2022年度)" line beside it), a 评价年度 label, the years the
    body speaks of as its own ("2023年度", "2023年末", "2023年全年…"; most often, a tie says
    nothing), then dates in the body's prose ("资金于2022年10月30日下达"). Never a date of the
    page or the form (发布日期, 成文日期, 填报日期 …), a 文号 or 索引号, a comparison (比2019年)
    or a notice's name (《关于开展2024年…的通知》). A file's name is not the text: the batch
    grouping falls back on it (core/units.report_year), the extraction does not."""
    head = _head(text)
    for index, line in enumerate(head):
        title = _title(line)
        if title is None:
            continue
        found = _YEAR_IN_TITLE_RE.search(title[0] + title[1])
        if found:
            return int(found.group(1))
        for near in (index + 1, index - 1):
            if 0 <= near < len(head) and _YEAR_LINE_RE.fullmatch(head[near]):
                return int(re.sub(r"[^0-9]", "", head[near])[:4])
    labelled = _LABELLED_YEAR_RE.search(text[:HEAD_CHARS]) or _LABELLED_YEAR_RE.search(text)
    if labelled:
        return int(labelled.group(1))
    for pattern in (_YEAR_DU_RE, _YEAR_ONLY_RE, _YEAR_DATE_RE):
        counts = Counter(
            int(m.group(1))
            for m in pattern.finditer(text)
            if _stated_in_body(text, m.start()) and not _on_a_date_line(text, m.start())
        )
        if counts:
            return _clear_winner(counts)
    return None


def _stated_in_body(text: str, start: int) -> bool:
    before = text[max(0, start - 30) : start]
    if _COMPARED_RE.search(before[-4:]) or _DATE_LABEL_BEFORE_RE.search(before[-12:]):
        return False
    if "《" in before and "》" not in before[before.rindex("《") :]:
        return False  # inside a document's name
    notice = _NOTICE_BEFORE_RE.search(before)
    return not (notice and _NOTICE_AFTER_RE.match(text, start, start + 50))


def _on_a_date_line(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return len(line) <= 30 and bool(_DATE_LINE_RE.fullmatch(line.strip()))


def _clear_winner(counts: Counter[_T]) -> _T | None:
    """The most common item, or None when another is as common."""
    (first, n), *rest = counts.most_common(2)
    return None if rest and rest[0][1] == n else first


# ---- the unit -------------------------------------------------------------------------------


def find_unit(text: str) -> str | None:
    """The evaluated unit as the report names it at its most complete, else None.

    In order: an evaluated-unit label (单位名称, 评价单位, 实施单位 …, also as a flattened form's
    cell), the title, a head or closing line that is a unit's name, a 主管部门 when no 实施单位
    is given, a county's township the report speaks as (我镇). A publisher (发布机构, 来源) is
    never the unit. A file's name is not the text: the batch grouping falls back on it
    (core/units.report_unit_name), the extraction does not."""
    head_text = text[:HEAD_CHARS]
    for pattern in (_LABELLED_UNIT_RE, _BARE_LABELLED_UNIT_RE):
        for labelled in scan(pattern, head_text):
            name = _cell_name(labelled.group("name"))
            if name:
                return name
    head = _head(text)
    for index, line in enumerate(head):
        title = _title(line)
        if title is None:
            continue
        name = _title_unit(title[0])
        if name and not _REGION_RE.search(name) and index > 0 and _joinable(head[index - 1]):
            joined = _title_unit(head[index - 1] + title[0])
            name = joined or name
        if not name and index > 0 and is_unit_name(head[index - 1]):
            name = head[index - 1]
        if name:
            return _most_complete(name, text)
    for line in head[:8] + _tail_lines(text):
        if len(line) <= 40 and is_unit_name(line):
            return _most_complete(line, text)
    supervisor = next(
        (n for m in scan(_FALLBACK_LABEL_RE, head_text) if (n := _cell_name(m.group("name")))),
        None,
    )
    if supervisor:
        beside = _unit_beside(supervisor, head_text)
        if beside:
            return beside
        if not _EVALUATED_LABEL_RE.search(head_text):
            return supervisor
    return _town(text)


def _unit_beside(supervisor: str, head_text: str) -> str | None:
    """The unit a form names beside its 主管部门 when its 实施单位 cell cannot be read (empty,
    or garbled by OCR): another unit of the supervisor's region (银川市教育局 → 银川市第六中学)
    named in the head."""
    region = _REGION_PREFIX_RE.match(supervisor)
    if region is None:
        return None
    at = head_text.find(region.group(0))
    while at >= 0:
        found = _STRONG_PREFIX_RE.match(head_text, at)
        if found and found.group(0) != supervisor and len(found.group(0)) <= 20:
            return found.group(0)
        at = head_text.find(region.group(0), at + 1)
    return None


def is_unit_name(name: str) -> bool:
    """Does this look like the name of a unit (and nothing more)?"""
    return bool(_UNIT_NAME_RE.fullmatch(name))


def _cell_name(value: str) -> str | None:
    """The unit named by a label's value: up to the next form label ("…办事处项目名称:…"), as a
    whole or up to the first strong ending."""
    cut = _FORM_LABEL_RE.search(value, 1)
    if cut:
        value = value[: cut.start()]
    return _name_in(value)


def _name_in(words: str) -> str | None:
    words = _TRAILING_WORDS_RE.sub("", _strip_leading(words.strip(), _TITLE_LEADING_WORD_RE))
    if is_unit_name(words):
        return words
    strong = _STRONG_PREFIX_RE.match(words)
    return strong.group(0) if strong else None


def _title_unit(title: str) -> str | None:
    """The unit in a title: before the year glued to it, else before the report's kind."""
    title = re.sub(rf"^\s*{_YEAR}\s*年度?", "", title)
    year = _YEAR_IN_TITLE_RE.search(title)
    if year and year.start() >= 2:
        return _name_in(title[: year.start()])
    body = _TITLE_BODY_RE.search(title)
    return _name_in(title[: body.start()] if body else title)


def _strip_leading(name: str, words: re.Pattern[str]) -> str:
    """`name` without the words run into its start, as long as the place it starts with keeps
    two characters (so 本溪市, 和平区, 将乐县 are not cut)."""
    while True:
        word = words.match(name)
        if word is None:
            return name
        rest = name[word.end() :]
        place = _PLACE_RE.match(rest)
        if len(rest) < 2 or (place is not None and len(place.group(1)) < 2):
            return name
        name = rest


def _joinable(line: str) -> bool:
    """A line that may be the first part of a title broken inside the unit's name."""
    return 2 <= len(line) <= 30 and bool(re.fullmatch(rf"{_NAME_CHARS}+", line))


def _most_complete(name: str, text: str) -> str:
    """A longer spelling of the same unit found in the text (前山镇 → 徐闻县前山镇人民政府)."""
    towns = _town_names(text)
    base = name.removesuffix("人民政府").removesuffix("政府")
    longer = [n for n in towns if base in n and len(n) > len(name)]
    if not longer:
        return name
    return max(longer, key=lambda n: (n.endswith("政府"), towns[n], len(n)))


def _town(text: str) -> str | None:
    """The township a report speaks as (我镇, 本乡, 全街道) and names; or one named twice."""
    speaks_as = {m.group(1) for m in _SELF_TOWN_RE.finditer(text)}
    towns = _town_names(text)
    if towns:
        best = max(towns, key=lambda n: (n.endswith(("政府", "办事处")), towns[n], len(n)))
        kind = re.sub("(?:人民政府|政府|办事处)$", "", best)[-2:]
        if towns[best] >= 2 or any(kind.endswith(k) for k in speaks_as):
            return best
    return _bare_town(text, speaks_as)


def _bare_town(text: str, speaks_as: set[str]) -> str | None:
    """A township named without its county, in a report that speaks as one: the name the text
    uses most (twice at least), as long as the words before it agree (a "白马关镇" is not
    cut to 马关镇 when every mention has 白 before it)."""
    found: dict[str, list[int]] = {}
    for match in _BARE_TOWN_RE.finditer(text):
        if match.group(2) in speaks_as and not _NOT_IN_TOWN_NAME_RE.search(match.group(1)):
            found.setdefault(match.group(0), []).append(match.start())
    counts = Counter({name: len(starts) for name, starts in found.items() if len(starts) >= 2})
    if not counts:
        return None
    best = _clear_winner(counts)
    if best is None:
        return None
    starts = found[best]
    name = best
    for back in (1, 2):
        before = {text[s - back] if s >= back else "" for s in starts}
        if len(before) != 1 or not re.fullmatch(rf"[{_CJK}]", next(iter(before))):
            break
        if _NOT_IN_TOWN_NAME_RE.search(next(iter(before))):
            break
        name = next(iter(before)) + name
    return name


def _town_names(text: str) -> Counter[str]:
    names: Counter[str] = Counter()
    anchor, before, after = TOWN_NEAR
    for match in scan_near(_TOWN_RE, text, anchor, before=before, after=after):
        name = _strip_leading(match.group(0), _LEADING_WORD_RE)
        if re.match(r"[\u4e00-\u9fff]+?(?:自治县|县|市|区|旗)", name):
            names[name] += 1
    return names


# ---- head lines and titles ------------------------------------------------------------------


def _head(text: str) -> list[str]:
    """The first lines of the text that are not page furniture, stripped of bullets, up to the
    body's first heading (一、, 第一部分 …: a title comes before it); a shared document's header
    gives its title."""
    lines: list[str] = []
    value_of_label = False
    for raw in text[:HEAD_CHARS].splitlines():
        line = _BULLET_RE.sub("", raw.strip()[:_LINE_CHARS]).strip()
        if not line:
            continue
        shared = _SHARED_TITLE_RE.match(line)
        if shared:
            lines.append(shared.group("title"))
            continue
        if value_of_label:
            value_of_label = False
            if not _FURNITURE_LINE_RE.match(line) and (len(line) <= 8 or _title(line) is None):
                continue  # the label's value (a title after an empty label is kept)
        if _FURNITURE_LINE_RE.match(line):
            value_of_label = bool(_FURNITURE_LABEL_ONLY_RE.match(line))
            continue
        if _PAGE_MARKER_RE.search(line) or _NO_CJK_RE.match(line):
            continue
        if _HEADING_RE.match(line) and lines:
            break
        line = _WRITTEN_YEAR_RE.sub(lambda m: m.group(0).translate(_YEAR_DIGITS), line)
        lines.append(_EXTENSION_RE.sub("", line))
        if len(lines) >= HEAD_LINES:
            break
    return lines


def _title(line: str) -> tuple[str, str] | None:
    """(title, bracketed note after it) when the line opens with a report's title."""
    line = _CJK_GAP_RE.sub("", _PAGE_NUMBER_RE.sub("", line))
    if _NOT_A_TITLE_RE.search(line[:12]):
        return None
    found = _TITLE_RE.match(line)
    if found is None:
        return None
    return found.group("title"), found.group("tail") or ""


def _tail_lines(text: str, count: int = 5) -> list[str]:
    return [line.strip() for line in text[-1000:].splitlines() if line.strip()][-count:]

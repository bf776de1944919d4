"""The import cleaning, function by function, on small samples in the mirrors' damaged format,
then on the seed article as it arrived."""

import os
import re
from pathlib import Path

import pytest

from articles.importer import (
    Report,
    clean,
    html_to_text,
    remove_annotations,
    repair_mojibake,
    restore_punctuation,
    suggest_cities,
    suggest_tags,
    to_simplified,
)
from articles.text import fold

SAMPLE = Path(__file__).parent / "samples" / "sample_wechat.txt"
PINYIN_LEFT = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
CITIES = [
    ("杭州", "Hangzhou", "hangzhou"),
    ("南京", "Nanjing", "nanjing"),
    ("上海", "", "shanghai"),
]


def shared_dir():
    configured = os.environ.get("SHARED_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parents[3] / "shared"


# Pinyin annotations


@pytest.mark.parametrize(
    ("damaged", "expected", "removed"),
    [
        ("慧產(chǎn)科技集團(tuán)", "慧產科技集團", 2),
        ("集團(tuan)", "集團", 1),  # tone marks optional
        ("長(zhǎng)三角", "長三角", 1),  # any reading of a character with several
        # 行 is the same in both scripts: no mirror annotates it, so (háng) is a gloss.
        ("銀行(háng)與(yǔ)旅行(xíng)", "銀行(háng)與旅行(xíng)", 1),
        ("元(yuan)", "元(yuan)", 0),
        ("我爱(ai)你", "我爱(ai)你", 0),
        ("他叫马(ma)", "他叫马(ma)", 0),
        ("《方(fang)法》", "《方(fang)法》", 0),
        ("幀(zhēn)率", "幀率", 1),  # a reading of the simplified form 帧 only
        ("沒(mò)有", "沒有", 1),
        ("（点击蓝字查看原文）", "（点击蓝字查看原文）", 0),
        ("(點(diǎn)擊藍(lán)字查看原文)", "(點擊藍字查看原文)", 2),
        ("大模型(AI)", "大模型(AI)", 0),
        ("見表(1)", "見表(1)", 0),
        ("南京(nan)", "南京(nan)", 0),  # not a reading of 京
        ("杭州(Hangzhou)", "杭州(Hangzhou)", 0),
        ("DeepSeek(deep)", "DeepSeek(deep)", 0),  # only after a Chinese character
    ],
)
def test_only_readings_of_the_character_before_are_removed(damaged, expected, removed):
    assert remove_annotations(damaged) == (expected, removed)


# Traditional characters and punctuation


def test_traditional_characters_become_simplified_and_are_counted():
    assert to_simplified("慧產科技集團") == ("慧产科技集团", 2)
    assert to_simplified("DeepSeek 2024") == ("DeepSeek 2024", 0)


@pytest.mark.parametrize(
    ("damaged", "expected"),
    [
        ("杭州有DeepSeek,南京有什么?", "杭州有DeepSeek，南京有什么？"),
        ("文章表示:杭州率先开启转向.", "文章表示：杭州率先开启转向。"),
        ("更包容民营力量的生长(而不是漠视或打压)", "更包容民营力量的生长（而不是漠视或打压）"),
        ('他说"南京都有"', "他说“南京都有”"),
        ("南京以1.85万亿GDP总量", "南京以1.85万亿GDP总量"),
        ("大模型(AI)应用", "大模型(AI)应用"),
        ("见表(1)", "见表(1)"),
        ("Hello, world. Really?", "Hello, world. Really?"),
    ],
)
def test_ascii_punctuation_touching_chinese_becomes_chinese(damaged, expected):
    assert restore_punctuation(damaged)[0] == expected


# GBK mojibake


@pytest.mark.parametrize(
    ("damaged", "expected"),
    [
        ("發展水平?jīng)Q定了", "發展水平決定了"),
        ("迅速?gòu)浹a自己的短板", "迅速彌補自己的短板"),
        ("《新華日?qǐng)?bào)》旗下", "《新華日報》旗下"),
    ],
)
def test_mojibake_is_read_again_in_step(damaged, expected):
    report = Report()
    assert repair_mojibake(damaged, report) == expected
    assert len(report.spans_repaired) == 1
    assert report.spans_flagged == []


def test_unrecoverable_mojibake_is_kept_marked_and_listed():
    report = Report()
    text = repair_mojibake("中間層是??低暋⑿氯A三等企業", report)
    assert text == "中間層是【无法还原：??低暋】、新華三等企業"
    assert report.spans_flagged == ["??低暋"]
    # The bytes it was read from: 、新華 in GBK, the last one the "A".
    assert report.spans_repaired == [("⑿氯A", "、新華", "a1 a2 d0 c2 c8 41")]


def test_mojibake_whose_bytes_do_not_decide_is_flagged_not_guessed():
    report = Report()
    text = repair_mojibake("山水?jīng)Q定", report)
    assert text == "山水【无法还原：?jīng)Q】定"
    assert report.spans_flagged == ["?jīng)Q"]


def test_ordinary_question_marks_are_not_mojibake():
    report = Report()
    text = "真的吗？？我不信。破圈?成为杭州。Really??"
    assert repair_mojibake(text, report) == text
    assert report.spans_flagged == report.spans_repaired == []


@pytest.mark.parametrize(
    "text",
    [
        "真的吗??我不信。破圈?成为杭州",  # after a question particle
        "为什么会这样??没人知道。",  # after a question word
        "他来了吗??",
        "| 真的? | 是 |",  # a Markdown table row: "|" is its edge, not a byte
        "专注?3D NAND",  # a Latin word follows: D is a letter, not a byte
    ],
)
def test_question_marks_a_person_wrote_stay(text):
    report = Report()
    assert repair_mojibake(text, report) == text
    assert report.spans_flagged == report.spans_repaired == []


@pytest.mark.parametrize(
    ("damaged", "expected"),
    [
        # A doubled byte: 平's second byte read again as 經's first, after text that asks
        # nothing; the rest is read again in step, the marks stay flagged.
        ("發展水平??經Q定了", "發展水平【无法还原：??】決定了"),
        # The same "??" where a character and its comma were lost: the text after reads as
        # text, but what comes before is no question.
        ("專注??D NAND", "專注【无法还原：??】D NAND"),
        # A lost byte, read out of step up to an eaten comma ("卸任者," → "?度握?"): two
        # characters are too short for a question between question marks, and a shorter text
        # one byte on (任) reads as well.
        ("即行?度握?得將前任", "即行【无法还原：?度握?】得將前任"),
        ("都市更新?行?以下簡稱", "都市更新【无法还原：?行?】以下簡稱"),
        # 質 (d9 7c) without its first byte: "|" is its second byte read alone.
        ("特殊性?|者,得呈准", "特殊性【无法还原：?|】者,得呈准"),
        ("不得?鳡戀|借或擔保", "不得【无法还原：?鳡戀|】借或擔保"),
        # An invalid pair of two high bytes ("?") keeps the reading out of step: the flag
        # runs on to the "?" that ends it, not a character of garbage left after it.
        ("溫│地範??爣?颟Ι?   │度攝氏", "溫│地範【无法还原：??爣?颟Ι?】   │度攝氏"),
    ],
)
def test_question_marks_a_mirror_left_are_flagged_and_only_they(damaged, expected):
    report = Report()
    assert repair_mojibake(damaged, report) == expected
    assert report.spans_flagged == re.findall("【无法还原：([^】]*)】", expected)


# Structure and suggestions


def test_structure_is_recovered_from_a_sample():
    draft = clean(SAMPLE.read_text(encoding="utf-8"), cities=CITIES)
    assert draft.title == "长三角观察：南京与杭州"
    assert draft.source == "智库日报 · 城市研究"
    assert draft.report.header_lines == ["每周一篇"]
    # Written from the text's key sentences, not the first paragraph the page shows anyway.
    first_paragraph = "南京与杭州的差距，到底在哪里？这是很多读者关心的问题。"
    assert draft.summary and first_paragraph not in draft.summary
    assert len(draft.summary) <= 120
    sentences = re.findall(r"[^。！？]+[。！？]", draft.summary)
    assert sentences and all(sentence in draft.body for sentence in sentences)
    assert draft.references == ["产业结构的差异"]
    assert "## 01 《产业结构》" in draft.body
    assert "## 02 《人才》" in draft.body
    assert "> 原文：产业结构的差异" in draft.body
    assert "大模型(AI)应用广泛，见表(1)。" in draft.body
    assert "城市发展水平决定了人才去留。" in draft.body
    assert not PINYIN_LEFT.search(draft.body)
    assert draft.cities == ["hangzhou", "nanjing"]
    assert "新华三" in draft.tags


def test_report_counts_each_kind_of_change():
    report = clean(SAMPLE.read_text(encoding="utf-8")).report
    counts = dict(report.counts())
    assert counts["拼音注音删除"] == len(
        re.findall(r"\([a-zǎàāáèéěīíǐìōóǒòūúǔùü]+\)", SAMPLE.read_text())
    )
    assert counts["乱码已修复"] == 1
    assert counts["乱码无法还原（已标出）"] == 0
    assert counts["繁体字转为简体"] > 20
    assert counts["标点改为中文标点"] >= 6


def test_text_without_account_header_takes_its_first_line_as_title():
    draft = clean("杭州觀(guān)察\n杭州的數(shù)字經(jīng)濟(jì)占比很高.")
    assert draft.title == "杭州观察"
    assert draft.body == "杭州的数字经济占比很高。"


@pytest.mark.parametrize(
    ("text", "slugs"),
    [
        ("杭州与南京", ["hangzhou", "nanjing"]),
        ("杭州市的数字经济", ["hangzhou"]),
        ("Why HANGZHOU? Because of DeepSeek", ["hangzhou"]),
        ("Hangzhoubay is not a city here", []),
        ("上海市", ["shanghai"]),
        ("杭州", ["hangzhou"]),
        ("杭 州", []),
    ],
)
def test_cities_are_found_by_name_alias_and_english_name(text, slugs):
    assert [slug for slug, _, _ in suggest_cities(text, CITIES)] == slugs


def test_tag_suggestions_keep_existing_tags_and_whole_company_names():
    text = (
        "新华三与阿里云都在杭州。文章认为，芯片是关键，芯片人才向杭州汇集。新华三、阿里云、芯片。"
    )
    tags = [name for name, _, _ in suggest_tags(text, existing_tags=["芯片", "区块链"])]
    assert tags[0] == "芯片"
    assert "区块链" not in tags
    assert {"新华三", "阿里云"} <= set(tags)
    assert "文章" not in tags  # stop list


def test_html_is_reduced_to_its_text_lines():
    assert (
        html_to_text("<p>第一段&amp;</p><script>x()</script><p>第二<br>段</p>")
        == "第一段&\n第二\n段\n"
    )


@pytest.mark.parametrize(
    "picture",
    ["[图片]", "【图片】", "图片", "(圖片)", "[image]", "IMG"],
)
def test_where_a_picture_was_a_visible_placeholder_stays(picture):
    text = f"杭州观察\n杭州的数字经济占比很高。\n{picture}\n下一段说南京。\n{picture}"
    draft = clean(text)
    assert draft.body.split("\n\n") == [
        "杭州的数字经济占比很高。",
        "> 【图片 1：待补。请从媒体库选一张图片替换这一段】",
        "下一段说南京。",
        "> 【图片 2：待补。请从媒体库选一张图片替换这一段】",
    ]
    assert dict(draft.report.counts())["图片待补（正文中已留位置）"] == 2


def test_an_img_of_html_leaves_its_placeholder():
    html = '<p>第一段。</p><p><img src="https://mmbiz.qpic.cn/x.jpg" data-type="png"></p><p>第二段。</p>'
    assert clean("标题\n" + html_to_text(html)).body.count("【图片 1：待补") == 1


# The seed article, as editors receive it


@pytest.fixture
def seed():
    path = shared_dir() / "seed" / "raw_article.txt"
    if not path.exists():
        pytest.skip(f"no seed article at {path} (set SHARED_DIR to the shared folder)")
    return path.read_text(encoding="utf-8")


def test_seed_article_is_cleaned(seed):
    draft = clean(seed, cities=CITIES)
    body = draft.body
    assert draft.source == "慧产科技集团 · 招商洞察"
    assert draft.report.title_guessed
    assert not PINYIN_LEFT.search(body)
    assert "江苏省委机关报《新华日报》旗下“交汇点”客户端" in body
    assert "一个城市的最终发展水平决定了这个城市" in body
    assert "并能迅速弥补自己的短板" in body
    assert "中间层是【无法还原：??低暋】、新华三等企业" in body
    assert draft.report.spans_flagged == ["??低暋"]
    assert len(draft.report.spans_repaired) == 4
    assert [line for line in body.splitlines() if line.startswith("## ")] == [
        "## 01 《DeepSeek为什么会出现在杭州？》",
        "## 02 《为什么南京发展不出“杭州六小龙”？》",
        "## 03 《杭州有DeepSeek，南京有什么？》",
    ]
    assert draft.references[1:] == [
        "为什么南京发展不出“杭州六小龙”？",
        "杭州有DeepSeek，南京有什么？",
    ]
    assert draft.report.header_lines == ["招商热点精准洞察", "慧立方", "聚智慧、立产业、兴地方"]
    unflagged = re.sub(r"【无法还原：[^】]*】", "", body)
    assert to_simplified(unflagged)[1] == 0  # no traditional character left
    assert "南京以1.85万亿GDP总量位列第10，" in body
    assert draft.cities == ["hangzhou", "nanjing", "shanghai"]
    assert {"DeepSeek", "杭州六小龙"} <= set(draft.tags)


def test_seed_article_loses_no_paragraph(seed):
    draft = clean(seed)
    paragraphs = [line for line in seed.splitlines() if len(line) > 40]
    for paragraph in paragraphs:
        start = fold(clean(paragraph).title)[:8]
        assert start in fold(draft.body), paragraph[:20]

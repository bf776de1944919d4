"""The revision diff inside a changed paragraph: by character, grouped into runs an editor can
read, on real Chinese text (the laws in ../shared/corpus) edited the way editors edit."""

import itertools
import json
import random
import time
from pathlib import Path

import pytest

from articles.editorial.textdiff import MAX_CHARACTER_DIFF, character_diff, paragraph_diff

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "tw_laws.jsonl"


def side(parts, keep):
    """One side of a diff put back together: the old text from kept and removed runs."""
    return "".join(text for op, text in parts if op in ("=", keep))


def test_a_changed_word_in_chinese_is_its_characters_not_the_sentence():
    parts = character_diff("南京的算力中心开工。", "南京的智算中心今天开工。")
    assert parts == [
        ("=", "南京的"),
        ("-", "算力"),
        ("+", "智算"),
        ("=", "中心"),
        ("+", "今天"),
        ("=", "开工。"),
    ]


def test_a_changed_number_in_a_sentence():
    parts = character_diff(
        "2024 年两市 GDP 相差约 3,359 亿元。", "2024 年两市 GDP 相差约 3,400 亿元。"
    )
    assert ("-", "359") in parts and ("+", "400") in parts
    assert parts[-1] == ("=", " 亿元。")


def test_runs_are_grouped_not_scattered():
    # Character by character, 城市群 -> 都市圈 shares nothing; 经济带 -> 经济圈 shares 经济.
    parts = character_diff("长三角城市群的经济带", "长三角都市圈的经济圈")
    assert parts == [
        ("=", "长三角"),
        ("-", "城市群"),
        ("+", "都市圈"),
        ("=", "的经济"),
        ("-", "带"),
        ("+", "圈"),
    ]
    for (op, _), (next_op, _) in itertools.pairwise(parts):
        assert (op, next_op) != ("=", "=")


def _edits(rng, text):
    """An editor's edits of a paragraph: a few characters replaced, inserted and deleted."""
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(chars) + 1)
        what = rng.choice(["insert", "delete", "replace"])
        new = list(rng.choice(["臺灣", "修正", "第二十三條", "，", "新臺幣一千元", "不"]))
        if what == "insert" or not chars:
            chars[at:at] = new
        elif what == "delete":
            del chars[at : at + rng.randint(1, 5)]
        else:
            chars[at : at + len(new)] = new
    return "".join(chars)


@pytest.mark.skipif(not CORPUS.exists(), reason=f"needs the shared corpus at {CORPUS}")
def test_on_real_paragraphs_each_side_is_recovered_and_runs_are_grouped():
    rng = random.Random(18)
    laws = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()[:60]]
    paragraphs = [p for law in laws for p in law["body"].split("\n\n") if len(p) > 20]
    for old in rng.sample(paragraphs, 200):
        new = _edits(rng, old)
        parts = character_diff(old, new)
        assert side(parts, "-") == old and side(parts, "+") == new
        ops = [op for op, _ in parts]
        assert all(a != b for a, b in itertools.pairwise(ops)), parts
        # A single kept character between two changes is folded into them.
        for i in range(1, len(parts) - 1):
            if parts[i][0] == "=" and parts[i - 1][0] != "=" and parts[i + 1][0] != "=":
                assert len(parts[i][1]) > 1, parts
        changed = sum(len(text) for op, text in parts if op != "=")
        assert changed < len(old), "a small edit must not strike the whole paragraph"


def test_a_huge_paragraph_is_shown_whole_and_fast():
    old, new = "甲" * (MAX_CHARACTER_DIFF + 1), "乙" + "甲" * MAX_CHARACTER_DIFF
    started = time.perf_counter()
    assert character_diff(old, new) == [("-", old), ("+", new)]
    assert time.perf_counter() - started < 0.5


def test_paragraphs_changed_inside_added_and_kept_as_context():
    old = "第一段。\n\n第二段。\n\n第三段。\n\n第四段。"
    new = "第一段。\n\n第二段改写了。\n\n第三段。\n\n第四段。\n\n第五段。"
    rows = paragraph_diff(old, new)
    assert ("~", [("=", "第二段"), ("+", "改写了"), ("=", "。")]) in rows
    assert ("+", "第五段。") in rows
    assert ("-", "第二段。") not in rows
    assert ("-", "第一段。") not in rows and (" ", "第一段。") not in rows  # beyond the context

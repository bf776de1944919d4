"""Undoing the damage WeChat mirrors do to a text, one kind at a time, each counted.

Every character whose traditional form differs is written traditional and followed by its
pinyin (慧產(chǎn)科技 = 慧产科技), and ASCII punctuation stands for Chinese punctuation; the
GBK mojibake some spans are is undone in articles.importer.mojibake. Pure: nothing here
touches the database.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from pypinyin import Style, pinyin

from articles.text import CJK, simplify

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ"
SYLLABLE = rf"[a-z{TONED}]{{1,6}}"
ANNOTATION = re.compile(rf"([{CJK}])\(({SYLLABLE})\)")
FLAG = "【无法还原：{}】"
FLAGGED = re.compile(r"【无法还原：[^】]*】")
CHINESE = rf"[{CJK}“”‘’《》（）、，。？！：；…—]"


@dataclass
class Report:
    annotations_removed: int = 0
    characters_converted: int = 0
    punctuation_restored: int = 0
    spans_repaired: list = field(default_factory=list)  # (damaged, repaired)
    spans_flagged: list = field(default_factory=list)  # damaged text kept as is
    header_lines: list = field(default_factory=list)  # account taglines left out of the body
    title_guessed: bool = False
    pictures: int = 0  # places where the original had a picture, marked in the body

    def counts(self):
        """What changed, counted, in the words the editor reads."""
        return [
            ("拼音注音删除", self.annotations_removed),
            ("繁体字转为简体", self.characters_converted),
            ("标点改为中文标点", self.punctuation_restored),
            ("乱码已修复", len(self.spans_repaired)),
            ("乱码无法还原（已标出）", len(self.spans_flagged)),
            ("图片待补（正文中已留位置）", self.pictures),
        ]


@cache
def _readings(char):
    toned = set(pinyin(char, heteronym=True, style=Style.TONE)[0])
    return toned | {_toneless(r) for r in toned}


@cache
def _toneless(syllable):
    return "".join(
        c for c in unicodedata.normalize("NFD", syllable) if not unicodedata.combining(c)
    ).replace("ü", "v")


def is_reading(char, syllable):
    return syllable in _readings(char) or _toneless(syllable) in _readings(char)


def is_mirror_annotation(char, syllable, before="", after=""):
    """The mirrors annotate only the characters they made traditional, with a reading of the
    traditional or the simplified form (幀(zhēn): pypinyin reads 幀 zhèng only, 帧 zhēn too).
    Whether a character converts is read in its context (瞭解 → 了解, 函覆 → 函复) when it
    does not on its own."""
    simplified = _simplified_alone(char)
    if simplified == char and (before or after):
        words = simplify(before + char + after)
        if len(words) == len(before + char + after):
            simplified = words[len(before)]
    return simplified != char and _reads(char, simplified, syllable)


@cache
def _simplified_alone(char):
    return simplify(char)


@cache
def _reads(char, simplified, syllable):
    return is_reading(char, syllable) or is_reading(simplified, syllable)


def remove_annotations(text):
    """Drop "(pīn)" after a traditional character when it is a reading of that character.

    (点击蓝字查看原文), 模型(AI) and 表(1) are not readings; 元(yuan), 我爱(ai) and 叫马(ma)
    follow characters no conversion changed, so they are the writer's glosses and stay.
    """
    count = 0

    def drop(match):
        nonlocal count
        before = text[max(0, match.start() - 1) : match.start()]
        after = text[match.end() : match.end() + 1]
        if is_mirror_annotation(match.group(1), match.group(2), before, after):
            count += 1
            return match.group(1)
        return match.group(0)

    return ANNOTATION.sub(drop, text), count


def to_simplified(text):
    """Traditional to simplified (OpenCC), with the number of characters changed."""
    simplified = simplify(text)
    if len(simplified) == len(text):
        return simplified, sum(a != b for a, b in zip(text, simplified, strict=True))
    return simplified, abs(len(simplified) - len(text)) + 1


PUNCTUATION = {",": "，", "?": "？", "!": "！", ":": "：", ";": "；"}


def restore_punctuation(text):
    """ASCII punctuation that touches Chinese text becomes Chinese punctuation.

    1.85, DeepSeek-V3, 模型(AI) and 表(1) keep theirs; flagged mojibake is left as it is.
    """
    count = 0

    def fix(part):
        nonlocal count

        def mark(match):
            nonlocal count
            count += 1
            return PUNCTUATION[match.group(1)]

        # [ \t], not \s: a line break is structure, never eaten with the punctuation.
        part = re.sub(rf"(?<={CHINESE})[ \t]*([,?!:;])[ \t]*", mark, part)
        part = re.sub(rf"[ \t]*([,?!:;])[ \t]*(?={CHINESE})", mark, part)

        def period(match):
            nonlocal count
            count += 1
            return "。"

        part = re.sub(rf"(?<=[{CJK}”）)》])\.(?=\s|$|{CHINESE})", period, part)

        def brackets(match):
            nonlocal count
            if not re.search(f"[{CJK}]", match.group(1)):
                return match.group(0)
            count += 2
            return f"（{match.group(1)}）"

        part = re.sub(r"\(([^()\n]*)\)", brackets, part)

        def quotes(match):
            nonlocal count
            count += 2
            return f"“{match.group(1)}”"

        return re.sub(rf'"([^"\n]*[{CJK}][^"\n]*)"', quotes, part)

    pieces, at = [], 0
    for match in FLAGGED.finditer(text):
        pieces += [fix(text[at : match.start()]), match.group(0)]
        at = match.end()
    pieces.append(fix(text[at:]))
    return "".join(pieces), count

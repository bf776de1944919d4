"""Undoing the damage WeChat mirrors do to a text, one kind at a time, each counted.

Every character whose traditional form differs is written traditional and followed by its
pinyin (慧產(chǎn)科技 = 慧产科技), ASCII punctuation stands for Chinese punctuation, and some spans
are GBK mojibake (traditional text encoded in GBK and decoded one byte out of step). Pure:
nothing here touches the database.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from pypinyin import Style, pinyin

from articles.text import CJK, simplify, tokenizer

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ"
SYLLABLE = rf"[a-z{TONED}]{{1,6}}"
ANNOTATION = re.compile(rf"([{CJK}])\(({SYLLABLE})\)")
# A mis-decoded character the mirror then annotated: "?" + its pinyin + ")".
ANCHORED_MOJIBAKE = re.compile(rf"(?<=[^\x00-\x7f])\?({SYLLABLE})\)")
# Out of step until a one-byte (ASCII) character brings the reading back in step.
UNANCHORED_MOJIBAKE = re.compile(r"\?{2,}([^\x00-\x7f]{1,8}[A-Za-z0-9]?)")
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

    def counts(self):
        """What changed, counted, in the words the editor reads."""
        return [
            ("拼音注音删除", self.annotations_removed),
            ("繁体字转为简体", self.characters_converted),
            ("标点改为中文标点", self.punctuation_restored),
            ("乱码已修复", len(self.spans_repaired)),
            ("乱码无法还原（已标出）", len(self.spans_flagged)),
        ]


@cache
def _readings(char):
    toned = set(pinyin(char, heteronym=True, style=Style.TONE)[0])
    return toned | {_toneless(r) for r in toned}


def _toneless(syllable):
    return "".join(
        c for c in unicodedata.normalize("NFD", syllable) if not unicodedata.combining(c)
    ).replace("ü", "v")


def _is_reading(char, syllable):
    return syllable in _readings(char) or _toneless(syllable) in _readings(char)


def remove_annotations(text):
    """Drop "(pīn)" after a character when it is a reading of that character.

    (点击蓝字查看原文), 模型(AI) and 表(1) are not readings of the character before them.
    """
    count = 0

    def drop(match):
        nonlocal count
        if _is_reading(match.group(1), match.group(2)):
            count += 1
            return match.group(1)
        return match.group(0)

    return ANNOTATION.sub(drop, text), count


def _dictionary():
    return tokenizer("plain").FREQ


def _word_score(text, start, end):
    """How many dictionary words of text (simplified) overlap text[start:end]."""
    simplified = simplify(text)
    words = _dictionary()
    score = 0
    for i in range(len(simplified)):
        for j in range(i + 2, min(i + 5, len(simplified) + 1)):
            if i < end and j > start and words.get(simplified[i:j]):
                score += 1
    return score


def _decode(data):
    try:
        text = bytes(data).decode("gbk")
    except UnicodeDecodeError:
        return None
    return text if re.fullmatch(f"(?:[{CJK}]|{CHINESE})+", text) else None


def _common(text):
    try:
        simplify(text).encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _repair_anchored(text, match):
    """The characters a "?pīn)" span stands for, or None when the bytes do not say.

    The annotated character was made of the last byte of the character before it and the
    lost first byte of the next one; its pinyin narrows that byte down. What follows is
    read one byte out of step until an ASCII character (one byte) brings it back in step.
    """
    try:
        before = text[match.start() - 1].encode("gbk")
    except UnicodeEncodeError:
        return None, match.end()
    tail, end = [], match.end()
    while end < len(text) and len(tail) < 4:
        tail.append(text[end])
        end += 1
        if text[end - 1].isascii():
            break
    if len(before) != 2:
        return None, end
    leads = [
        b
        for b in range(0x40, 0xFF)
        if (c := _decode([before[1], b])) and _is_reading(c, match.group(1))
    ]
    options = []
    for lead in leads:
        data = [[lead]]
        for char in tail:
            if char == "?":
                data = [[*d, u] for d in data for u in range(0x40, 0xFF)]
            else:
                data = [d + list(char.encode("gbk", errors="ignore")) for d in data]
        options += [t for d in data if (t := _decode(d))]
    # The mirror may have annotated the recovered character too, its "(" lost in the damage.
    if annotation := re.match(rf"({SYLLABLE})\)", text[end:]):
        options = [t for t in options if _is_reading(t[-1], annotation.group(1))]
        end += annotation.end()
    context = text[max(0, match.start() - 2) : match.start()]
    after = text[end : end + 2]
    scored = sorted(
        (
            (_word_score(context + t + after, len(context), len(context) + len(t)), t)
            for t in options
        ),
        reverse=True,
    )
    if not scored or scored[0][0] == 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None, end
    return scored[0][1], end


def _repair_unanchored(run):
    """(lost, recovered) for a "??…" run: the tail that reads cleanly one byte out of step."""
    chars = list(run)
    for k in range(len(chars)):
        data = b"".join(c.encode("gbk", errors="replace") for c in chars[k:])[1:]
        recovered = _decode(data) if len(data) % 2 == 0 else None
        if recovered and len(recovered) >= 2 and _common(recovered):
            return "".join(chars[: k + 1]), recovered
    return run, ""


def repair_mojibake(text, report):
    """Re-read GBK spans decoded out of step; mark, never guess, what cannot be re-read."""
    out, at = [], 0
    for match in ANCHORED_MOJIBAKE.finditer(text):
        if match.start() < at:
            continue
        repaired, end = _repair_anchored(text, match)
        damaged = text[match.start() : end]
        out.append(text[at : match.start()])
        if repaired:
            out.append(repaired)
            report.spans_repaired.append((damaged, repaired))
        else:
            out.append(FLAG.format(damaged))
            report.spans_flagged.append(damaged)
        at = end
    out.append(text[at:])
    text = "".join(out)

    def unanchored(match):
        run = match.group(1)
        if _common(run):  # "真的吗??我不信": ordinary text after the question marks
            return match.group(0)
        lost, recovered = _repair_unanchored(run)
        damaged = match.group(0)[: -len(run)] + lost
        report.spans_flagged.append(damaged)
        if recovered:
            report.spans_repaired.append((run[len(lost) :], recovered))
        return FLAG.format(damaged) + recovered

    return UNANCHORED_MOJIBAKE.sub(unanchored, text)


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

        part = re.sub(rf"(?<={CHINESE})\s*([,?!:;])\s*", mark, part)
        part = re.sub(rf"\s*([,?!:;])\s*(?={CHINESE})", mark, part)

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

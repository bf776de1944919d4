"""GBK mojibake: spans of traditional text encoded in GBK and decoded one byte out of step,
read again in step where the bytes decide, flagged where they do not. Pure: nothing here
touches the database.
"""

import re
from functools import cache

from articles.importer.repair import (
    CHINESE,
    FLAG,
    SYLLABLE,
    is_mirror_annotation,
    is_reading,
)
from articles.text import CJK, simplify, tokenizer

# A mis-decoded character the mirror then annotated: "?" + its pinyin + ")".
ANCHORED_MOJIBAKE = re.compile(rf"(?<=[^\x00-\x7f])\?({SYLLABLE})\)")
# What a mirror leaves where bytes were lost: question marks, U+FFFD, private-use characters.
MARKER_CHARS = re.compile("[\ufffd\ue000-\uf8ff]")
UNANCHORED_MOJIBAKE = re.compile("\\?{1,2}|？{2}|[\ufffd\ue000-\uf8ff]+")
CLEAR_PREFERENCE = 3.0  # nats: about 20 times likelier than the next reading
# Characters read out of step before an ASCII one brings the reading back in step.
MAX_SPAN = 24
# More characters read out of step after an unreadable span's "?", up to the next "?".
OUT_OF_STEP_MORE = re.compile(r"([^\x00-\x7f\n]{1,8})\?")
TEXT_LIKELIHOOD = -9.8  # nats a character: text is likelier, bytes read out of step less


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


TEXT = re.compile(f"(?:[{CJK}]|{CHINESE})+")


def _decode(data):
    try:
        text = bytes(data).decode("gbk")
    except UnicodeDecodeError:
        return None
    return text if TEXT.fullmatch(text) else None


@cache
def _character(first, second):
    return _decode([first, second])


def _common(text):
    try:
        simplify(text).encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@cache
def _leads(first, syllable):
    """The second bytes that make, after first, a character the mirror annotates with
    syllable: a traditional one (the mirrors annotate no other), read so."""
    return [
        b
        for b in range(0x40, 0xFF)
        if (c := _character(first, b)) and is_mirror_annotation(c, syllable)
    ]


def _repair_anchored(text, match):
    """The characters a "?pīn)" span stands for, or None when the bytes do not say.

    The annotated character was made of the last byte of the character before it and the
    lost first byte of the next one; its pinyin narrows that byte down. What follows is
    read one byte out of step until an ASCII character (one byte) brings it back in step.
    """
    try:
        before = text[match.start() - 1].encode("gbk")
    except UnicodeEncodeError:
        return None, match.end(), b""
    tail, end = [], match.end()
    while end < len(text) and len(tail) < MAX_SPAN and text[end] != "\n":
        tail.append(text[end])
        end += 1
        if text[end - 1].isascii():
            break
    if len(tail) > 8 or tail.count("?") > 1 or not tail[-1:] or not tail[-1].isascii():
        return None, _annotation_after(text, end), b""  # too long to read again: flagged
    if len(before) != 2:
        return None, end, b""
    leads = _leads(before[1], match.group(1))
    options = []
    for lead in leads:
        data = [[lead]]
        for char in tail:
            if char == "?":
                data = [[*d, u] for d in data for u in range(0x40, 0xFF)]
            else:
                data = [d + list(char.encode("gbk", errors="ignore")) for d in data]
        options += [(t, bytes([before[1], *d])) for d in data if (t := _decode(d))]
    # The mirror may have annotated the recovered character too, its "(" lost in the damage.
    if annotation := re.match(rf"({SYLLABLE})\)", text[end:]):
        options = [(t, d) for t, d in options if is_reading(t[-1], annotation.group(1))]
        end += annotation.end()
    elif "?" in tail:  # a byte lost and no reading to tell which: not guessed
        return None, end, b""
    context = text[max(0, match.start() - 4) : match.start()]
    after = _plain_after(text, end, 4)
    scored = sorted(((_likelihood(context + t + after), t, d) for t, d in options), reverse=True)
    # Only a reading the dictionary clearly prefers: else the span is flagged, not guessed.
    if not scored or (len(scored) > 1 and scored[0][0] - scored[1][0] < CLEAR_PREFERENCE):
        return None, _annotation_after(text, end), b""
    if (
        _word_score(context + scored[0][1] + after, len(context), len(context) + len(scored[0][1]))
        == 0
    ):
        return None, _annotation_after(text, end), b""
    return scored[0][1], end, scored[0][2]


def _likelihood(text):
    """The log-probability of text's likeliest segmentation into dictionary words (jieba)."""
    simplified = simplify(text)
    words = tokenizer("plain")
    dag, route = words.get_DAG(simplified), {}
    words.calc(simplified, dag, route)
    return route[0][0] if simplified else 0.0


def _annotation_after(text, end):
    """Where a span ends when the "(pīn)" after it, of a character lost in it, goes with it."""
    annotation = re.match(rf"\({SYLLABLE}\)", text[end:])
    return end + annotation.end() if annotation else end


def _plain_after(text, end, length=2):
    """The next characters after end, annotations left out: the context a repair is read in."""
    return re.sub(rf"\({SYLLABLE}\)", "", text[end : end + 8 * length])[:length]


def _shifted(chars, resync, tail_lost=False):
    """chars read one byte later, up to the one-byte character that brought the reading back
    in step (or without their last byte, when it was lost): the text they were before the
    damage and its bytes, or (None, b"")."""
    try:
        data = b"".join(char.encode("gbk") for char in chars)
    except UnicodeEncodeError:
        return None, b""
    if len(data) != 2 * len(chars):
        return None, b""
    data = data[1:-1] if tail_lost else data[1:] + resync.encode("ascii")
    return (_decode(data) if data else ""), data


def _first_byte(char):
    try:
        return char.encode("gbk")[0]
    except UnicodeEncodeError:
        return None


def _second_byte(char):
    try:
        data = char.encode("gbk")
    except UnicodeEncodeError:
        return None
    return data[1] if len(data) == 2 else None


def _repair_unanchored(text, match):
    """([(flagged, damaged, repaired, data)], end) for a span that starts with a marker ("?",
    "??", "？？", U+FFFD, private-use), or None when what follows the marker reads as it is.

    After the marker come the characters read out of step, then what brought the reading
    back in step: a letter (the second byte of the last character, read alone) or a "?" (that
    byte and the ASCII character after it, an invalid pair). The characters between are read
    again in step where the bytes and the dictionary agree; what is lost is flagged.
    """
    start, at = match.span()
    end = at
    while end < len(text) and end - at < MAX_SPAN and not text[end].isascii():
        if MARKER_CHARS.match(text[end]):
            break
        end += 1
    run, closing = text[at:end], text[end : end + 1]
    tail_lost = closing == "?"
    # A letter read alone is a byte of a character, unless it begins a Latin word (a letter,
    # digit, space or hyphen follows: 3D NAND, X-STR) or is a cell's edge in a Markdown table row.
    letter = "\x40" <= closing <= "\x7e" and not re.match(
        r"[A-Za-z0-9 \t-]", text[end + 1 : end + 2]
    )
    letter = letter and not (closing == "|" and _in_table_row(text, end))
    if not (tail_lost or letter):
        if run and closing.isalnum() and (_second_byte(run[-1]) or 0x80) < 0x80:
            # Back in step inside a rare character whose second byte is the Latin word's
            # first letter (型DeepSeek read as ?虳eepSeek): that byte is the letter again.
            recovered, data = _shifted(run, "", tail_lost=True)
            if recovered is not None and (not recovered or _common(recovered)):
                letter_byte = chr(_second_byte(run[-1]))
                return [
                    (match.group(0), "", "", b""),
                    ("", run, recovered + letter_byte, data),
                ], end
        return None
    recovered, k = None, 0
    for k in range(len(run)):
        recovered, data = _shifted(run[k:], "" if tail_lost else closing, tail_lost)
        if recovered is not None and (not recovered or _common(recovered)):
            break
        recovered = None
    if recovered:
        before, after = text[max(0, start - 2) : start], _plain_after(text, end + 1)
        span = text[start : end + 1]
        old = _word_score(before + span + after, len(before), len(before) + len(span))
        new = _word_score(before + recovered + after, len(before), len(before) + len(recovered))
        if new > old:
            # One byte read twice (the previous character's second byte) loses nothing; a
            # lost byte loses the character it began.
            first = run[0].encode("gbk")[0]
            duplicated = k == 0 and start > 0 and _second_byte(text[start - 1]) == first
            # Whether a character was lost where the marker stands, the bytes cannot say: the
            # marker stays flagged, for the editor to check against the original.
            head = match.group(0) if duplicated else text[start : at + k + 1]
            middle = text[at if duplicated else at + k + 1 : end if tail_lost else end + 1]
            pieces = [(head, "", "", b""), ("", middle, recovered, data)]
            if tail_lost:
                pieces.append(("?", "", "", b""))
            return [p for p in pieces if p[0] or p[2]], end + 1
    if tail_lost and _is_question(run):
        return None  # "真的吗??我不信。破圈?": question marks around ordinary text
    # The bytes do not say: the whole span, and the "(pīn)" of its last character, flagged,
    # with what is still read out of step after it (an invalid pair of two high bytes keeps
    # the reading out of step: 地範??爣?颟Ι?).
    while tail_lost and (more := OUT_OF_STEP_MORE.match(text, end + 1)):
        if _reads_as_text(more.group(1)):
            break
        end = more.end() - 1
    end = _annotation_after(text, end + 1)
    return [(text[start:end], "", "", b"")], end


def _in_table_row(text, position):
    line_start = text.rfind("\n", 0, position) + 1
    return text[line_start:position].lstrip().startswith("|")


QUESTION_ENDS = "吗嗎呢么麼吧啊呀嘛"
INTERROGATIVES = re.compile(
    "什么|什麼|怎么|怎麼|怎样|怎樣|如何|为何|為何|是否|难道|難道|谁|誰|哪|多少|几|幾"
)
CLAUSE_END = re.compile(r"[。！？，；：!?,;:\n]")


def _is_question(run):
    """Whether characters between two question marks are a question of their own: text, long
    enough to be a clause (or ended by a particle), and not a shorter text one byte on: what
    a span read out of step from a lost byte up to an eaten punctuation mark is."""
    if not run or not (len(run) >= 3 or run[-1] in QUESTION_ENDS) or not _reads_as_text(run):
        return False
    shifted, _ = _shifted(run, "", tail_lost=True)
    return (
        not shifted
        or not _reads_as_text(shifted)
        or _likelihood(run) / len(run) > _likelihood(shifted) / len(shifted)
    )


def _reads_as_text(run):
    """Whether characters read as Chinese text, not as bytes read out of step: common
    characters (GB2312's first level) that the dictionary finds likely together."""
    simplified = simplify(run)
    if not simplified:
        return True
    common = 0
    for char in simplified:
        try:
            data = char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += len(data) == 1 or 0xB0 <= data[0] <= 0xD7 or data[0] == 0xA1
    return common >= 0.8 * len(simplified) and _likelihood(run) / len(run) > TEXT_LIKELIHOOD


def repair_mojibake(text, report):
    """Re-read GBK spans decoded out of step; mark, never guess, what cannot be re-read.

    A flag covers the damage only, and no "?", U+FFFD or private-use character of a damaged
    span is left in the text unmarked.
    """
    out, at = [], 0
    for match in ANCHORED_MOJIBAKE.finditer(text):
        if match.start() < at:
            continue
        repaired, end, data = _repair_anchored(text, match)
        damaged = text[match.start() : end]
        out.append(text[at : match.start()])
        if repaired:
            out.append(repaired)
            report.spans_repaired.append((damaged, repaired, data.hex(" ")))
        else:
            out.append(FLAG.format(damaged))
            report.spans_flagged.append(damaged)
        at = end
    out.append(text[at:])
    text = "".join(out)

    out, at = [], 0
    for match in UNANCHORED_MOJIBAKE.finditer(text):
        if match.start() < at or _inside_flag(text, match.start()):
            continue
        found = _repair_unanchored(text, match)
        if found is None:
            marker = match.group(0)
            # One question mark before text that reads as it is: punctuation. Two in Chinese
            # text, U+FFFD and private-use characters: flagged, the marker only.
            if marker == "?" or (marker in ("??", "？？") and _ordinary(text, match)):
                continue
            found = [(marker, "", "", b"")], match.end()
        pieces, end = found
        out.append(text[at : match.start()])
        for lost, damaged, repaired, data in pieces:
            if lost:
                out.append(FLAG.format(lost))
                report.spans_flagged.append(lost)
            else:
                out.append(repaired)
                report.spans_repaired.append((damaged, repaired, data.hex(" ")))
        at = end
    out.append(text[at:])
    return "".join(out)


def _ordinary(text, match):
    """Whether question marks are punctuation: outside Chinese text ("Really??"); before text
    that reads as text, "？？" (full-width, as the original had them), or "??" that ends a
    question (真的吗??, 为什么会这样??) and is not followed by the character before it read
    again one byte late (what a doubled byte leaves: 水平??經Q定了)."""
    start = match.start()
    if start == 0 or not re.match(CHINESE, text[start - 1]):
        return True
    following = re.match(r"[^\x00-\x7f]{0,8}", text[match.end() :]).group(0)
    if not _reads_as_text(following):
        return False
    if match.group(0) == "？？":
        return True
    clause = CLAUSE_END.split(text[max(0, start - 40) : start])[-1]
    asked = bool(clause) and (clause[-1] in QUESTION_ENDS or bool(INTERROGATIVES.search(clause)))
    doubled = bool(following) and _second_byte(text[start - 1]) == _first_byte(following[0])
    return asked and not doubled


def _inside_flag(text, position):
    # A flag holds at most an anchored span: "?pīn)", MAX_SPAN characters and an annotation.
    opened = text.rfind("【无法还原：", max(0, position - 4 * MAX_SPAN), position)
    return opened != -1 and text.find("】", opened) >= position

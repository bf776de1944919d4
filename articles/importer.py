"""Turn an article pasted from a WeChat mirror into a clean draft.

The mirrors damage text in known ways: every character whose traditional form differs is
written traditional and followed by its pinyin (慧產(chǎn)科技 = 慧产科技), ASCII punctuation
stands for Chinese punctuation, and some spans are GBK mojibake (traditional text encoded in
GBK and decoded one byte out of step). Each function below undoes one kind of damage and
counts what it changed; clean() runs them in order. Nothing here touches the database.
"""

import codecs
import html
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from articles.search import CJK
from articles.text import _t2s

DATA = Path(__file__).resolve().parent / "data"
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
REFERENCE_SUFFIX = "（点击蓝字查看原文）"
SECTION_NUMBER = re.compile(r"^\d{1,2}$")
MAX_IMPORT_BYTES = 500_000


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


@dataclass
class Draft:
    title: str
    source: str
    summary: str
    body: str
    references: list
    report: Report
    tags: list = field(default_factory=list)
    cities: list = field(default_factory=list)


# Reading the input


def read_upload(name, data):
    """Text of an uploaded .txt/.md/.html file: UTF-8, UTF-16 with its BOM (Windows Notepad's
    "Unicode") or GB18030; HTML reduced to text. A binary file is refused, not imported."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030", errors="replace")
    undecodable = sum(ch == "\ufffd" or (ch < " " and ch not in "\t\n\r\f") for ch in text)
    if "\x00" in text or undecodable > len(text) / 50:
        raise ImportRefused(
            "这个文件不是文本（含有空字符或大量无法解码的字节）：请上传 UTF-8 或 GBK 编码的"
            " .txt、.md 或 .html 文件。"
        )
    if name.lower().endswith((".html", ".htm")):
        text = html_to_text(text)
    return text


def html_to_text(source):
    source = re.sub(r"(?is)<(script|style)\b.*?</\1>", "", source)
    source = re.sub(r"(?i)<br\s*/?>|</(p|div|h[1-6]|li|section|tr)>", "\n", source)
    return html.unescape(re.sub(r"<[^>]+>", "", source))


# Damage, one kind at a time


@cache
def _readings(char):
    from pypinyin import Style, pinyin

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


@cache
def _dictionary():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt.FREQ


def _word_score(text, start, end):
    """How many dictionary words of text (simplified) overlap text[start:end]."""
    simplified = _t2s().convert(text)
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
        _t2s().convert(text).encode("gb2312")
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
    simplified = _t2s().convert(text)
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


# Structure


def _is_paragraph(line):
    return len(line) >= 30 or bool(re.search("[。，！？；]", line))


def parse_structure(text, report):
    """(title, source, summary, body in Markdown, references) from cleaned text."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title_lines, source = [], ""
    if "官方公众号" in lines:
        i = lines.index("官方公众号")
        title_lines = lines[: max(i - 1, 0)]
        account = lines[i - 1] if i else ""
        column = lines[i + 1] if i + 1 < len(lines) and not _is_paragraph(lines[i + 1]) else ""
        source = " · ".join(part for part in (account, column) if part)
        rest = lines[i + 2 if column else i + 1 :]
        while rest and not _is_paragraph(rest[0]) and not SECTION_NUMBER.match(rest[0]):
            report.header_lines.append(rest.pop(0))
    else:
        title_lines, rest = lines[:1], lines[1:]

    body, references, intro = [], [], []
    in_sections = False
    i = 0
    while i < len(rest):
        line = rest[i]
        if SECTION_NUMBER.match(line):
            in_sections = True
            heading = line
            if i + 1 < len(rest) and re.fullmatch(r"《.+》", rest[i + 1]):
                heading = f"{line} {rest[i + 1]}"
                i += 1
            body.append(f"## {heading}")
        elif line.endswith(REFERENCE_SUFFIX):
            referenced = line.removesuffix(REFERENCE_SUFFIX).strip()
            references.append(referenced)
            body.append(f"> 原文：{referenced}")
        else:
            body.append(line)
            if not in_sections:
                intro.append(line)
        i += 1

    if title_lines:
        title = title_lines[0]
    else:
        report.title_guessed = True
        first = intro[0] if intro else (body[0] if body else "导入的文章")
        title = re.split("[。！？，；：]", first)[0][:60]
    summary = intro[0][:200] if intro else ""
    return title[:200], source[:200], summary, "\n\n".join(body), references


# Suggestions


@cache
def _keyword_extractor():
    import jieba
    import jieba.analyse

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()  # its own dictionary: the user words must not change slugs
    tokenizer.load_userdict(str(DATA / "jieba_userdict.txt"))
    extractor = jieba.analyse.TFIDF()
    extractor.tokenizer = extractor.postokenizer = tokenizer
    extractor.set_stop_words(str(DATA / "jieba_stopwords.txt"))
    return extractor


def suggest_tags(text, existing_tags=(), limit=8):
    """Keywords of text (jieba TF-IDF), then existing tag names that occur in it."""
    from articles.text import fold

    keywords = [
        word
        for word in _keyword_extractor().extract_tags(text, topK=limit * 2)
        if len(word) > 1 and re.search(r"[^\W\d_]", word)
    ][:limit]
    folded = fold(text)
    known = [name for name in existing_tags if fold(name) in folded]
    seen, result = set(), []
    for name in [*known, *keywords]:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            result.append(name)
    return result


def suggest_cities(text, cities):
    """Slugs of the cities named in text, by name, name + 市 or English name."""
    from articles.text import fold

    folded = fold(text)
    found = []
    for name, name_en, slug in cities:
        names = [fold(name), fold(name.removesuffix("市") + "市")]
        if name_en:
            names.append(fold(name_en))
        for candidate in names:
            pattern = re.escape(candidate)
            if candidate.isascii():
                pattern = rf"(?<![a-z]){pattern}(?![a-z])"
            if re.search(pattern, folded):
                found.append(slug)
                break
    return found


def clean(raw, existing_tags=(), cities=()):
    """The whole import: a Draft with its report. raw is kept by the caller, untouched."""
    report = Report()
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = repair_mojibake(text, report)
    text, report.annotations_removed = remove_annotations(text)
    text, report.characters_converted = to_simplified(text)
    text, report.punctuation_restored = restore_punctuation(text)
    title, source, summary, body, references = parse_structure(text, report)
    plain = "\n".join(line for line in text.splitlines() if line not in report.header_lines)
    return Draft(
        title=title,
        source=source,
        summary=summary,
        body=body,
        references=references,
        report=report,
        tags=suggest_tags(plain, existing_tags),
        cities=suggest_cities(plain, cities),
    )


# Saving: the one place an import touches the database.


class ImportRefused(ValueError):
    """An input the importer refuses, with a message for the editor."""


def check_size(data):
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRefused(
            f"文件太大：{len(data) // 1000} KB，最多 {MAX_IMPORT_BYTES // 1000} KB。"
            "请拆分后分别导入。"
        )
    if not data.strip():
        raise ImportRefused("没有可导入的文字。")


def create_draft(raw, filename="", user=None):
    """Clean raw into a new draft with its references, keep raw and the report with it."""
    from django.db import transaction
    from taggit.models import Tag

    from articles import revisions
    from articles.models import MAX_BODY_LENGTH, Article, ArticleImport, City, OriginalLink

    check_size(raw.encode("utf-8"))
    draft = clean(
        raw,
        existing_tags=Tag.objects.values_list("name", flat=True),
        cities=City.objects.values_list("name", "name_en", "slug"),
    )
    if len(draft.body) > MAX_BODY_LENGTH:
        raise ImportRefused(f"正文超过 {MAX_BODY_LENGTH} 字，请拆分后分别导入。")
    with transaction.atomic():
        article = Article.objects.create(
            title=draft.title,
            summary=draft.summary,
            body=draft.body,
            source=draft.source,
            status=Article.Status.DRAFT,
            author=user,
        )
        # The editor fills in each link: the admin asks for the URL before the next save.
        OriginalLink.objects.bulk_create(
            OriginalLink(article=article, title=title[:200], url="") for title in draft.references
        )
        ArticleImport.objects.create(
            article=article,
            raw=raw,
            filename=filename[:200],
            report=report_data(draft),
            suggested_tags=draft.tags,
            suggested_cities=draft.cities,
            created_by=user,
        )
        revisions.record(article, user, note="导入")
    return article


def report_data(draft):
    report = draft.report
    return {
        "counts": report.counts(),
        "repaired": report.spans_repaired,
        "flagged": report.spans_flagged,
        "header_lines": report.header_lines,
        "title_guessed": report.title_guessed,
        "references": draft.references,
    }

"""From a damaged text to a Draft: reading the upload, the repairs in order, and the
structure (title, source, summary, sections, references). Pure: nothing here touches the
database; articles.importer.drafts saves.
"""

import codecs
import html
import re
from dataclasses import dataclass, field

from articles.importer.mojibake import repair_mojibake
from articles.importer.repair import (
    Report,
    remove_annotations,
    restore_punctuation,
    to_simplified,
)
from articles.importer.suggestions import keywords, suggest_cities, suggest_tags, summarise

REFERENCE_SUFFIX = "（点击蓝字查看原文）"
# Where a picture was: a line the mirror left ([图片], 【图片】, image …), or an <img> of HTML.
PICTURE_LINE = re.compile(
    r"[\[【（(]?\s*(图片|圖片|图|圖|image|img|picture|photo)\s*[\]】）)]?", re.I
)
PICTURE_MARK = "[图片]"
SECTION_NUMBER = re.compile(r"^\d{1,2}$")
MAX_IMPORT_BYTES = 500_000


class ImportRefused(ValueError):
    """An input the importer refuses, with a message for the editor."""


@dataclass
class Draft:
    title: str
    source: str
    summary: str
    body: str
    references: list
    report: Report
    tags: list = field(default_factory=list)  # ranked, most mentioned first
    cities: list = field(default_factory=list)  # slugs, ranked
    strong_tags: list = field(default_factory=list)  # pre-ticked on the report page
    strong_cities: list = field(default_factory=list)


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
    source = re.sub(r"(?i)<img\b[^>]*>", f"\n{PICTURE_MARK}\n", source)
    source = re.sub(r"(?i)<br\s*/?>|</(p|div|h[1-6]|li|section|tr)>", "\n", source)
    return html.unescape(re.sub(r"<[^>]+>", "", source))


def check_size(data):
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRefused(
            f"文件太大：{len(data) // 1000} KB，最多 {MAX_IMPORT_BYTES // 1000} KB。"
            "请拆分后分别导入。"
        )
    if not data.strip():
        raise ImportRefused("没有可导入的文字。")


# Structure


def looks_like_title(line):
    """A title line: short, and not a sentence (no full stop inside or at its end)."""
    line = line.lstrip("#").strip()
    return 0 < len(line) <= 64 and "。" not in line and not line.endswith(("，", "；", "：", "、"))


def _is_paragraph(line):
    return len(line) >= 30 or bool(re.search("[。，！？；]", line))


def parse_structure(text, report, weights=None):
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
    elif len(lines) > 1 and looks_like_title(lines[0]):
        title_lines, rest = [lines[0].lstrip("#").strip()], lines[1:]
    else:
        rest = lines  # no title line: every line stays in the body

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
        elif PICTURE_LINE.fullmatch(line):
            # Kept visible, for the editor to fill from the media library.
            report.pictures += 1
            body.append(f"> 【图片 {report.pictures}：待补。请从媒体库选一张图片替换这一段】")
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
        # The editor is asked for a title (the report says so); meanwhile the opening words.
        report.title_guessed = True
        first = intro[0] if intro else (body[0] if body else "导入的文章")
        title = re.split("[。！？，；：]", first.lstrip("#> ").strip())[0][:30]
    paragraphs = [line for line in body if not line.startswith(("#", ">"))]
    return (
        title[:200],
        source[:200],
        summarise(paragraphs, weights=weights),
        "\n\n".join(body),
        references,
    )


def clean(raw, existing_tags=(), cities=()):
    """The whole import: a Draft with its report. raw is kept by the caller, untouched."""
    report = Report()
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = repair_mojibake(text, report)
    text, report.annotations_removed = remove_annotations(text)
    text, report.characters_converted = to_simplified(text)
    text, report.punctuation_restored = restore_punctuation(text)
    plain = "\n".join(line for line in text.splitlines() if line not in report.header_lines)
    weights = keywords(plain)
    title, source, summary, body, references = parse_structure(text, report, weights)
    tags = suggest_tags(plain, existing_tags, cities, weights=weights)
    found = suggest_cities(plain, cities)
    return Draft(
        title=title,
        source=source,
        summary=summary,
        body=body,
        references=references,
        report=report,
        tags=[name for name, _, _ in tags],
        cities=[slug for slug, _, _ in found],
        strong_tags=[name for name, _, strong in tags if strong],
        strong_cities=[slug for slug, _, strong in found if strong],
    )

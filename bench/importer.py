"""Importer benchmark: real text damaged the way WeChat mirrors damage it, imported, measured.

Run on purpose, not as a test (a minute or two on one core):

    .venv/bin/python bench/importer.py [--laws 80] [--seed 13] [--large]

The texts: laws from ../shared/corpus/tw_laws.jsonl (real, traditional; their simplified form
is taken as the original a mirror started from) and the site's demo articles (simplified,
with Latin names and numbers). Each is damaged as ../shared/seed/raw_article.txt is:

- traditional: the text made traditional (OpenCC s2t), as the mirrors show it;
- pinyin: then about half of the characters that changed annotated "(pīn)", as in the seed
  (255 annotated, 241 not); besides, two real glosses after characters the same in both
  scripts (元(yuán)) are put into the original, which the import must keep;
- punctuation: ，？！：；（） written in ASCII;
- one kind of GBK mojibake at a time, three spans a text, spaced apart, each made from the bytes:
  the text (already annotated and with ASCII punctuation, as in the seed) encoded in GBK
  and read one byte out of step from the second byte of the character before the span until
  the reading falls back in step, an invalid pair read as one "?":
  - anchored (seed: 水平?jīng)Q定了): the first character read out of step shown as "?" and
    its pinyin and ")";
  - lost-byte (seed: 中間層是??低暋⑿氯A三): the span's first byte lost ("?"), the reading
    out of step from the next; a full-width "？" read out of step becomes "?", an invalid pair
    is dropped;
  - doubled-byte (the issue's 水平決定了 → ??經Q定了): "??", then the reading out of step
    from the second byte of the character before;
  - replacement: as lost-byte, the lost byte and each invalid pair shown as U+FFFD or a
    private-use character;
- all: traditional, pinyin, punctuation and one span of each mojibake kind together.

Clean simplified and clean traditional input are measured too (nothing to repair: the
importer may change only punctuation style and traditional to simplified).

Per kind it prints: CER (edits over the original's characters, punctuation style and
traditional/simplified folded away), paragraphs in → out and merged, titles exact, spans
repaired / flagged / left silently (a span whose damage reaches the body unflagged and
unrepaired, or repaired into other text), annotations left per 10,000 characters, and real
glosses removed. --large also times two 500 KB pastes (damaged laws; the seed article over
and over); --kinds '' --large times only those.
"""

import argparse
import difflib
import json
import os
import random
import re
import sys
import time
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siteconf.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

import tomllib  # noqa: E402

import opencc  # noqa: E402
from pypinyin import Style, lazy_pinyin, pinyin  # noqa: E402

SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))
LAWS = SHARED / "corpus" / "tw_laws.jsonl"
DEMO = ROOT / "articles" / "demo" / "articles.toml"
SPANS_PER_TEXT = 3
SPAN_GAP = 60  # characters between spans, so that each span's context is clean
MOJIBAKE_KINDS = ("anchored", "lost-byte", "doubled-byte", "replacement")
KINDS = ("clean-simplified", "clean-traditional", "traditional", "pinyin", "punctuation",
         *MOJIBAKE_KINDS, "all")  # fmt: skip
ASCII_PUNCTUATION = str.maketrans("，？！：；（）", ",?!:;()")
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ"
ANNOTATION = re.compile(rf"[\u4e00-\u9fff]\([a-z{TONED}]{{1,6}}\)")
IN_ANNOTATION = re.compile(rf"[a-z{TONED}]{{0,6}}\)")
FLAG = "【无法还原"
SENTENCE_END = re.compile("(?<=[。；\n])")


@cache
def _converter(config):
    return opencc.OpenCC(config)


def s2t(text):
    return _converter("s2t").convert(text)


def t2s(text):
    return _converter("t2s").convert(text)


# The texts


def load_texts(laws=80, seed=13):
    """[(source, title, [paragraphs])] in simplified characters: the originals."""
    texts = []
    rows = [json.loads(line) for line in LAWS.read_text(encoding="utf-8").splitlines()]
    for row in random.Random(seed).sample(rows, min(laws, len(rows))):
        paragraphs = [p.strip() for p in row["body"].split("\n") if p.strip()]
        texts.append(("law", t2s(row["title"]), [t2s(p) for p in paragraphs]))
    for article in tomllib.loads(DEMO.read_text(encoding="utf-8"))["article"]:
        paragraphs = [p.strip() for p in article["body"].split("\n") if p.strip()]
        texts.append(("demo", article["title"], paragraphs))
    return texts


# The damage


def add_glosses(paragraphs, rng, count=2):
    """Real glosses, as a writer adds them: "(pīn)" after characters no conversion changes,
    alone or in their context (制 alone stays, 复制 becomes 複製)."""
    paragraphs = list(paragraphs)
    for _ in range(count):
        i = rng.randrange(len(paragraphs))
        text = paragraphs[i]
        traditional = s2t(text)
        places = [
            k
            for k, c in enumerate(text)
            if "\u4e00" <= c <= "\u9fff"
            and s2t(c) == c
            and t2s(c) == c
            and len(traditional) == len(text)
            and traditional[k] == c
            and text[k + 1 : k + 2] != "("
        ]
        if places:
            k = rng.choice(places)
            reading = pinyin(text[k], style=Style.TONE)[0][0]
            paragraphs[i] = f"{text[: k + 1]}({reading}){text[k + 1 :]}"
    return paragraphs


def annotate(simplified, rng, rate=0.5):
    """The mirror's traditional text: about rate of the changed characters followed by "(pīn)"
    (the reading pypinyin gives the simplified text, in context)."""
    traditional = s2t(simplified)
    if len(traditional) != len(simplified):
        return traditional
    readings = lazy_pinyin(simplified, style=Style.TONE, errors=lambda s: list(s))
    if len(readings) != len(simplified):
        return traditional
    out = []
    for s, t, reading in zip(simplified, traditional, readings, strict=True):
        out.append(t)
        if s != t and reading.isalpha() and reading.islower() and rng.random() < rate:
            out.append(f"({reading})")
    return "".join(out)


def _gbk(char):
    try:
        data = char.encode("gbk")
    except UnicodeEncodeError:
        return None
    return data


def read_out_of_step(chars, start, invalid):
    """Read chars[start:] from the second byte of chars[start - 1] until back in step.

    (decoded characters, index in chars where the reading is back in step), or None when a
    character on the way has no GBK form. invalid(pair) is what an invalid pair becomes.
    """
    data, bounds = bytearray(), set()
    k = start - 1
    while k < len(chars) and len(data) < 80:
        encoded = _gbk(chars[k])
        if encoded is None:
            return None
        data += encoded
        k += 1
        bounds.add(len(data))
    first = len(_gbk(chars[start - 1]))
    if first != 2:
        return None
    out, q = [], 1
    while q < len(data):
        if data[q] < 0x80:
            out.append(chr(data[q]))
            q += 1
        elif q + 1 < len(data):
            pair = bytes(data[q : q + 2])
            try:
                out.append(pair.decode("gbk"))
            except UnicodeDecodeError:
                out.append(invalid(pair))
            q += 2
        else:
            return None
        if q in bounds:
            ends = sorted(bounds)
            return "".join(out), start + ends.index(q)
    return None


def _reading(char):
    return pinyin(char, style=Style.TONE)[0][0]


def mojibake(text, kinds, rng):
    """text with one span of mojibake of each of kinds: (damaged text, [(start, end, garbage)]:
    where in text the characters each span destroyed are, and what stands for them)."""
    chars = list(text)
    plain = _plain(text)
    made, taken, out_text, at = [], [], [], 0
    candidates = list(range(SPAN_GAP, len(chars) - SPAN_GAP))
    rng.shuffle(candidates)
    pua = iter(chr(0xE000 + i) for i in range(10_000))
    wanted = list(kinds)
    for i in candidates:
        if not wanted:
            break
        kind = wanted[0]
        # Away from the others, and where the text around it occurs once, annotations left out
        # (to find it again, and so that no other span's flag hides a copy of it): the 12
        # characters on either side are at most the contexts measure() looks for.
        if any(abs(i - j) < SPAN_GAP for j in taken) or plain.count(_plain_window(text, i)) > 1:
            continue
        prev, char = chars[i - 1], chars[i]
        if not ("\u4e00" <= prev <= "\u9fff" and "\u4e00" <= char <= "\u9fff"):
            continue
        if kind == "anchored":
            read = read_out_of_step(chars, i, lambda pair: "?")
            if not read or not re.match("[\u4e00-\u9fff]", read[0]):
                continue
            # The mirrors annotate traditional characters only: so was each one in the seed
            # (請, 經, 購).
            first = read[0][0]
            if t2s(first) == first:
                continue
            reading = _reading(first)
            if not reading.isalpha() or not reading.islower():
                continue
            garbage = f"?{reading}){read[0][1:]}"
            start, end = i, read[1]
        elif kind == "doubled-byte":
            read = read_out_of_step(chars, i, lambda pair: "?")
            if not read:
                continue
            garbage, start, end = "??" + read[0], i, read[1]
        else:  # lost-byte, replacement: the span's first byte lost
            # An invalid pair with an ASCII second byte reads "?" (seed: ?bào)); one in the
            # two-byte range is dropped (seed: 威視 → 低暋) or replaced.
            if kind == "lost-byte":
                lost = "?"
                invalid = lambda pair: "?" if pair[1] < 0x40 else ""  # noqa: E731
            else:
                lost = rng.choice(["\ufffd", next(pua)])
                invalid = lambda pair: (  # noqa: E731
                    "?" if pair[1] < 0x40 else rng.choice(["\ufffd", next(pua)])
                )
            read = read_out_of_step(chars, i + 1, invalid)
            if not read:
                continue
            shown = read[0].replace("？", "?") if kind == "lost-byte" else read[0]
            garbage, start, end = lost + shown, i, read[1]
        # Within a paragraph, and not ending inside an annotation (its context is then clean).
        if end - start > 40 or "\n" in text[start:end] or IN_ANNOTATION.match(text, end):
            continue
        wanted.pop(0)
        taken.append(i)
        made.append((start, end, garbage))
    made.sort()
    positions = []
    for start, end, garbage in made:
        out_text.append(text[at:start])
        positions.append((start, end, garbage))
        out_text.append(garbage)
        at = end
    out_text.append(text[at:])
    return "".join(out_text), positions


def damage(title, paragraphs, kind, rng):
    """(damaged input, the original as the importer should give it back, spans).

    The original is the simplified text; spans are (left context, destroyed, right context)
    in the original, to find each span again in the import, and the garbage put in its place."""
    glossed = add_glosses(paragraphs, rng) if kind in ("pinyin", "all") else list(paragraphs)
    original = "\n\n".join([title, *glossed])
    if kind == "clean-simplified":
        return original, original, []
    if kind == "clean-traditional":
        return s2t(original), original, []
    text = "\n\n".join(
        annotate(p, rng) if kind != "traditional" else s2t(p) for p in [title, *glossed]
    )
    if kind in ("traditional",):
        return text, original, []
    if kind != "pinyin":
        text = text.translate(ASCII_PUNCTUATION)
    if kind in ("pinyin", "punctuation"):
        return text, original, []
    # Spans are placed in the damaged text; their context is found in the original by the
    # simplified, annotation-free form of the text around them.
    kinds = MOJIBAKE_KINDS if kind == "all" else [kind] * SPANS_PER_TEXT
    damaged, positions = mojibake(text, kinds, rng)
    spans = [
        (
            _plain(text[max(0, start - 80) : start])[-12:],
            _plain(text[start:end]),
            _plain(text[end : end + 80])[:12],
            garbage,
        )
        for start, end, garbage in positions
    ]
    return damaged, original, spans


def _plain_window(text, i, reach=12):
    """_plain() of the text around i, without the pieces of annotations cut at its edges."""
    window = text[i - reach : i + reach]
    window = re.sub(rf"^[a-z{TONED}]*\)", "", window)
    return _plain(re.sub(rf"\([a-z{TONED}]*$", "", window))


def _plain(text):
    """The damaged text's characters as the original has them: no annotations, simplified."""
    return normal(t2s(re.sub(rf"\([a-z{TONED}]{{1,6}}\)", "", text)))


# Measuring


def normal(text):
    """Punctuation style folded away: full-width and ASCII punctuation compare equal, and so
    do "a: b" and "a：b" (the space is part of the half-width style)."""
    text = text.translate(str.maketrans("，？！：；（）“”", ',?!:;()""'))
    return re.sub(r"[ \t\u3000]*([,?!:;])[ \t\u3000]*", r"\1", text)


def cer_form(text):
    """normal() with traditional characters folded too: what the importer may change."""
    return t2s(normal(text))


def edits(a, b):
    """Characters to change to turn a into b: sentences aligned first, then the characters of
    those that differ (difflib's alignment: an upper bound of the edit distance, exact where
    the texts differ in scattered places; by sentence, it stays fast on a long law)."""
    parts_a, parts_b = SENTENCE_END.split(a), SENTENCE_END.split(b)
    matcher = difflib.SequenceMatcher(None, parts_a, parts_b, autojunk=False)
    return sum(
        _character_edits("".join(parts_a[i1:i2]), "".join(parts_b[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    )


def _character_edits(a, b):
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(
        max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"
    )


def measure(draft, original, spans, glosses):
    out_lines = [draft.title, *(line for line in draft.body.split("\n\n") if line)]
    in_lines = [line for line in original.split("\n\n") if line]
    out_text = cer_form("\n\n".join(out_lines))
    in_text = cer_form(original)
    # Title and body: a span's context may reach back into the title line.
    body = normal("\n\n".join(out_lines))
    result = {
        "chars": len(in_text),
        "edits": edits(in_text, out_text),
        "paragraphs_in": len(in_lines),
        "paragraphs_out": len(out_lines),
        "title_exact": normal(draft.title) == normal(in_lines[0]),
        "repaired": 0,
        "flagged": 0,
        "silent": 0,
        "recovered": 0,
        "annotations_left": len(ANNOTATION.findall(body)) - glosses,
        "glosses_removed": 0,
        "silent_spans": [],
    }
    for left, destroyed, right, garbage in spans:
        outcome = _span_outcome(body, cer_form(original), left, destroyed, right)
        result[outcome] += 1
        if outcome == "silent":
            result["silent_spans"].append(
                (left, destroyed, right, garbage, _around(body, left, right))
            )
        # Flagged or not, are all its characters back? (A flag may mark only a lost marker.)
        unflagged = _unglossed(re.sub(f"{FLAG}[^】]*】", "", body))
        whole = left + destroyed + right
        result["recovered"] += unflagged.count(whole) >= _unglossed(cer_form(original)).count(whole)
    return result


def _around(body, left, right, length=40):
    """The import's text from a span's left context to its right one: what the editor reads."""
    body = _unglossed(body)
    for match in re.finditer(re.escape(left), body):
        j = body.find(right, match.end(), match.end() + length)
        if j != -1:
            return body[match.start() : j + len(right)]
    at = body.find(left)
    return body[at : at + len(left) + length] if at != -1 else "(context not found)"


def _unglossed(text):
    return re.sub(rf"\([a-z{TONED}]{{1,6}}\)", "", text)


def _span_outcome(body, original, left, destroyed, right):
    """repaired, flagged or silent: the span's text back as often as the original has it;
    else a flag between its two contexts; else it reached the body unmarked. Glosses are
    left out on both sides: they are counted on their own."""
    body, original = _unglossed(body), _unglossed(original)
    whole = left + destroyed + right
    if whole and body.count(whole) >= original.count(whole):
        return "repaired"
    for match in re.finditer(re.escape(left), body):
        j = body.find(right, match.end(), match.end() + 40 + 4 * len(destroyed))
        if j != -1 and FLAG in body[match.end() : j]:
            return "flagged"
    return "silent"


def gloss_count(original):
    return len(ANNOTATION.findall(normal(original)))


def run(texts, kinds, seed):
    from articles.importer import clean

    rows = []
    for kind in kinds:
        rng = random.Random(f"{seed}-{kind}")
        total = dict.fromkeys(
            ("texts", "chars", "edits", "paragraphs_in", "paragraphs_out", "merged", "titles",
             "titles_exact", "spans", "repaired", "flagged", "silent", "recovered", "annotations_left",
             "glosses", "glosses_removed"),
            0,
        )  # fmt: skip
        total["silent_spans"] = []
        started = time.perf_counter()
        for _source, title, paragraphs in texts:
            raw, original, spans = damage(title, paragraphs, kind, rng)
            draft = clean(raw)
            glosses = gloss_count(original)
            result = measure(draft, original, spans, glosses)
            body = normal(draft.body)
            kept = len(ANNOTATION.findall(body))
            total["texts"] += 1
            total["chars"] += result["chars"]
            total["edits"] += result["edits"]
            total["paragraphs_in"] += result["paragraphs_in"]
            total["paragraphs_out"] += result["paragraphs_out"]
            total["merged"] += max(0, result["paragraphs_in"] - result["paragraphs_out"])
            total["titles"] += 1
            total["titles_exact"] += result["title_exact"]
            total["spans"] += len(spans)
            for key in ("repaired", "flagged", "silent", "recovered"):
                total[key] += result[key]
            total["silent_spans"] += [(title, *span) for span in result["silent_spans"]]
            total["glosses"] += glosses
            total["glosses_removed"] += max(0, glosses - kept) if glosses else 0
            total["annotations_left"] += max(0, kept - glosses)
        total["seconds"] = time.perf_counter() - started
        rows.append((kind, total))
    return rows


def table(rows):
    lines = [
        "| damage | texts | CER | paragraphs in → out (merged) | titles exact | spans | repaired | flagged | left silently | text recovered in full | annotations left /10k chars | glosses removed |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, t in rows:
        per10k = 10_000 * t["annotations_left"] / max(t["chars"], 1)
        lines.append(
            f"| {kind} | {t['texts']} | {t['edits'] / max(t['chars'], 1):.4%} "
            f"| {t['paragraphs_in']} → {t['paragraphs_out']} ({t['merged']}) "
            f"| {t['titles_exact']}/{t['titles']} | {t['spans']} | {t['repaired']} | {t['flagged']} "
            f"| {t['silent']} | {t['recovered']} | {per10k:.2f} | {t['glosses_removed']}/{t['glosses']} |"
        )
    return "\n".join(lines)


def silent_spans(rows):
    """Each span left silently: where, what it was, what stood for it, what the import reads."""
    lines = []
    for kind, t in rows:
        for title, left, destroyed, right, garbage, imported in t["silent_spans"]:
            lines += [
                f"{kind} in 《{title}》:",
                f"  original: {left}[{destroyed}]{right}",
                f"  damaged:  {left}[{garbage}]{right}",
                f"  imported: {imported}",
            ]
    return "\n".join(lines)


def time_large(texts, seed):
    """[(what, bytes, seconds the first time, best of 3)]: a first small import, which reads
    the dictionaries, then cleaning a 500 KB paste of damaged laws (all kinds of damage) and
    of the seed article over and over (dense with annotations and mojibake). Run alone
    (--kinds ''), the first time is what a worker that has not seen such text spends."""
    from articles.importer import clean

    rng = random.Random(seed)
    parts, size = [], 0
    for _source, title, paragraphs in texts * 10:
        raw = damage(title, paragraphs, "all", rng)[0]
        parts.append(raw)
        size += len(raw.encode("utf-8"))
        if size > 490_000:
            break
    pastes = [("damaged laws", "\n\n".join(parts))]
    seed_article = SHARED / "seed" / "raw_article.txt"
    if seed_article.exists():
        article = seed_article.read_text(encoding="utf-8")
        pastes.append(("the seed article, repeated", "\n\n".join([article] * 80)))
    # A worker's first import reads jieba's dictionary, OpenCC's and pypinyin's tables.
    rows = [("a worker's first import (the seed article, dictionaries read)", 0)]
    rows[0] += (_timed(clean, article if seed_article.exists() else "热身"),) * 2
    for what, text in pastes:
        big = text.encode("utf-8")[:499_000].decode("utf-8", errors="ignore")
        first = _timed(clean, big)
        best = min(first, *(_timed(clean, big) for _ in range(2)))
        rows.append((what, len(big.encode("utf-8")), first, best))
    return rows


def _timed(function, *args):
    """Seconds of this process's CPU time: on a shared machine, what the cleaning costs, not
    how busy the other processes keep the cores."""
    started = time.process_time()
    function(*args)
    return time.process_time() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--laws", type=int, default=80, help="laws sampled from the corpus")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--large", action="store_true", help="also time two 500 KB pastes")
    args = parser.parse_args()
    texts = load_texts(args.laws, args.seed)
    rows = run(texts, [kind for kind in args.kinds.split(",") if kind], args.seed)
    if rows:
        print(table(rows))
    if silent := silent_spans(rows):
        print(f"\nSpans left silently:\n{silent}")
    if args.large:
        for what, size, first, best in time_large(texts, args.seed):
            if not size:
                print(f"\n{what}: {first:.2f} s of CPU")
                continue
            print(
                f"\n500 KB paste ({what}): {size:,} bytes cleaned in {first:.2f} s of CPU the"
                f" first time, {best:.2f} s at best of 3"
            )
    print(f"\nload average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

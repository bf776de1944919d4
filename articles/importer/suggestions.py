"""What an imported text suggests: tags (jieba keywords and existing tag names found in it),
cities (by name, name + 市 or English name), each ranked by mentions and marked strong or weak,
and a summary made of its key sentences. Pure: the candidates come in as lists."""

import math
import re
from functools import cache

import jieba.analyse

from articles.text import DATA, fold, tokenizer

# Pre-ticked on the report page: a tag the text keeps coming back to, a site tag it uses
# twice, a city it names twice. One passing mention is offered, not ticked.
STRONG_KEYWORD_MENTIONS = 3
STRONG_KNOWN_MENTIONS = 2
STRONG_CITY_MENTIONS = 2
SUMMARY_LENGTH = 120
# Keywords are read from the first 20,000 characters: enough to know what a text is about,
# and a 500 KB paste does not keep a worker segmenting words for seconds.
KEYWORD_SAMPLE = 20_000
SENTENCE = re.compile(r"[^。！？]*[。！？]+[”’」』）]*|[^。！？]+$")


@cache
def _keyword_extractor():
    extractor = jieba.analyse.TFIDF()
    extractor.tokenizer = extractor.postokenizer = tokenizer("keywords")
    extractor.set_stop_words(str(DATA / "jieba_stopwords.txt"))
    return extractor


def keywords(text, limit=20):
    """{keyword: TF-IDF weight} of text, most important first."""
    found = _keyword_extractor().extract_tags(
        text[:KEYWORD_SAMPLE], topK=limit * 2, withWeight=True
    )
    return {
        word: weight for word, weight in found if len(word) > 1 and re.search(r"[^\W\d_]", word)
    }


def mentions(name, folded_text):
    """How often name occurs in a folded text; a Latin name only as a whole word."""
    pattern = re.escape(fold(name))
    if fold(name).isascii():
        pattern = rf"(?<![a-z0-9]){pattern}(?![a-z0-9])"
    return len(re.findall(pattern, folded_text))


def _city_names(name, name_en):
    names = {fold(name), fold(name.removesuffix("市")), fold(name.removesuffix("市") + "市")}
    return names | ({fold(name_en)} if name_en else set())


def suggest_tags(text, existing_tags=(), cities=(), limit=8, weights=None):
    """[(name, mentions, strong)], strong first, then most mentioned: existing tag names that
    occur in text and its keywords (jieba TF-IDF), never a city's name (cities are offered
    as cities)."""
    folded = fold(text)
    city_names = set().union(*(_city_names(name, name_en) for name, name_en, _ in cities))
    top = list(weights if weights is not None else keywords(text))[:limit]
    known = {fold(name) for name in existing_tags if fold(name) in folded}
    seen, ranked = set(), []
    for name in [*(n for n in existing_tags if fold(n) in known), *top]:
        key = fold(name)
        if key in seen or key in city_names:
            continue
        seen.add(key)
        count = mentions(name, folded)
        threshold = STRONG_KNOWN_MENTIONS if key in known else STRONG_KEYWORD_MENTIONS
        ranked.append((name, count, count >= threshold))
    return sorted(ranked, key=lambda s: (not s[2], -s[1]))


def suggest_cities(text, cities):
    """[(slug, mentions, strong)] of the cities named in text, by name, name + 市 or English
    name, most mentioned first."""
    folded = fold(text)
    found = []
    for name, name_en, slug in cities:
        count = 0
        for candidate in sorted(_city_names(name, name_en), key=len):
            pattern = re.escape(candidate)
            if candidate.isascii():
                pattern = rf"(?<![a-z]){pattern}(?![a-z])"
            # 杭州市 counts once, as 杭州: the longer names are found inside the shorter.
            count = max(count, len(re.findall(pattern, folded)))
        if count:
            found.append((slug, count, count >= STRONG_CITY_MENTIONS))
    return sorted(found, key=lambda s: -s[1])


def summarise(paragraphs, limit=SUMMARY_LENGTH, weights=None):
    """A summary of at most limit characters from the text's key sentences (those with the
    most of its keywords), in their order; not the first paragraph, which the page shows
    anyway, unless it is all there is."""
    paragraphs = [p for p in paragraphs if "【无法还原：" not in p]
    if not paragraphs:
        return ""
    if weights is None:
        weights = keywords("\n".join(paragraphs))
    candidates = paragraphs[1:] if len(paragraphs) > 1 else paragraphs
    sentences = [
        (i, s.strip())
        for i, s in enumerate(s for p in candidates for s in SENTENCE.findall(p))
        if len(s.strip()) >= 8
    ]
    if not sentences:
        return ""

    def score(sentence):
        found = sum(w for word, w in weights.items() if word in sentence)
        return found / math.sqrt(len(sentence))

    chosen, length = [], 0
    for i, sentence in sorted(sentences, key=lambda s: -score(s[1])):
        if length + len(sentence) <= limit:
            chosen.append((i, sentence))
            length += len(sentence)
    if not chosen:  # every key sentence is longer than a summary: its first clauses
        sentence = max(sentences, key=lambda s: score(s[1]))[1]
        clauses = re.findall(r"[^，；]*[，；]?", sentence[:limit])
        cut = "".join(clauses[:-1]) if len(clauses) > 1 else sentence[: limit - 1]
        return cut.rstrip("，；") + "……"
    return "".join(sentence for _, sentence in sorted(chosen))

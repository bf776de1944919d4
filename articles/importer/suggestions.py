"""What an imported text suggests: tags (jieba keywords and existing tag names found in it)
and cities (by name, name + 市 or English name). Pure: the candidates come in as lists."""

import re
from functools import cache

import jieba.analyse

from articles.text import DATA, fold, tokenizer


@cache
def _keyword_extractor():
    extractor = jieba.analyse.TFIDF()
    extractor.tokenizer = extractor.postokenizer = tokenizer("keywords")
    extractor.set_stop_words(str(DATA / "jieba_stopwords.txt"))
    return extractor


def suggest_tags(text, existing_tags=(), limit=8):
    """Keywords of text (jieba TF-IDF), then existing tag names that occur in it."""
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

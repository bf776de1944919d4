"""Look-up as a reader types in the search box: the cities, organisations and public tags whose
name, full pinyin or initials begin with what was typed (杭, hangzhou, hz -> 杭州), folded as
search folds. The list (entries()) is built once per change to the public names by the caller, and
filtered in memory: a few thousand names at most."""

from articles.models import City, Organisation, public_tags
from articles.text import pinyin_keys, search_form

LIMIT = 8
KINDS = ("城市", "机构", "标签")


def entries():
    things = [
        *(("城市", c) for c in City.objects.only("name", "slug")),
        *(("机构", o) for o in Organisation.objects.only("name", "slug")),
        *(("标签", t) for t in public_tags().only("name", "slug")),
    ]
    entries = []
    for kind, thing in things:
        full, initials = pinyin_keys(thing.name)
        form = search_form(thing.name)
        entries.append((kind, thing.name, thing.get_absolute_url(), form, full, initials))
    return entries


def suggestions(typed, entries):
    """Up to LIMIT {kind, name, url} for what was typed: names that begin with it first, then
    pinyin and initials, then names that contain it; cities before organisations before tags."""
    typed = search_form(typed)[:50]
    if not typed:
        return []
    ranked = []
    for kind, name, url, form, full, initials in entries:
        if form.startswith(typed):
            rank = 0
        elif full.startswith(typed) or initials.startswith(typed):
            rank = 1
        elif typed in form:
            rank = 2
        else:
            continue
        ranked.append((rank, KINDS.index(kind), len(name), name, kind, url))
    ranked.sort()
    return [{"kind": kind, "name": name, "url": url} for *_, name, kind, url in ranked[:LIMIT]]

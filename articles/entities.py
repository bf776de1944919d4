"""What a search names: the city, organisation or tag whose name is the whole query, shown
above the results with a link to its page (a reader who searches 南京 wants 南京's profile too)."""

from django.db.models import Q

from articles.models import City, Organisation, alias_key, public_tags
from articles.text import search_form

LOOKUPS = 3  # queries named() makes at most: one per kind


def named(query):
    """(kind, thing) for the city, organisation or public tag (by name or alias) the query
    names, compared in search form (traditional, width and case folded); None if none."""
    name = search_form(query)
    if not name:
        return None
    tags = public_tags().filter(Q(name__iexact=name) | Q(aliases__key=alias_key(name)))
    for kind, candidates in (
        ("城市", City.objects.filter(name__iexact=name)),
        ("机构", Organisation.objects.filter(name__iexact=name)),
        ("标签", tags),
    ):
        if found := candidates.first():
            return kind, found
    return None

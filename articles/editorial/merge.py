"""Merging a save based on an outdated copy of an article with what others saved meanwhile.

Three values per field: the one the editor opened (the revision of the version in their form),
theirs (stored now) and yours (posted). A field only the others changed takes their value; a
field only you changed keeps yours; a field both changed differently is a conflict, shown side
by side for a choice. Nothing is saved by the merge itself: the form comes back with the merged
values, so that what is saved next is what the editor saw. Tags, cities and organisations are
fields like any other.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from articles.editorial.revisions import LABELS, diff, snapshot
from articles.models import Article, alias_key

TEXT_FIELDS = (
    *("title", "slug", "summary", "body", "cover_alt", "source"),
    *("seo_title", "seo_description"),
)
FIELDS = (*TEXT_FIELDS, "tags", "cities", "organisations", "status", "published_at")
STATUS_BY_LABEL = {label: value for value, label in Article.Status.choices}
# What a revision snapshot calls the comparable form of a field, where it is not the field's name.
SNAPSHOT_KEYS = {"cities": "city_ids", "organisations": "organisation_ids"}


@dataclass
class Conflict:
    field: str
    label: str
    theirs: str
    yours: str
    by: object = None  # the revision that last changed it, for who and when


@dataclass
class Merge:
    changes: list  # a diff of what others changed; None when the opened version is not on record
    saved_by: list  # the revisions saved meanwhile, oldest first
    taken: list = field(default_factory=list)  # [(field, label, revision)]
    conflicts: list = field(default_factory=list)
    theirs: dict = field(default_factory=dict)  # the stored values, as cleaned_data holds them

    @property
    def authors(self):
        names = []
        for revision in self.saved_by:
            name = person(revision.user)
            if name not in names:
                names.append(name)
        return names


def person(user):
    if user is None:
        return "（系统）"
    return user.get_full_name() or user.get_username()


def _minute(moment):
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def comparable(name, value):
    """A field's value in a form that compares equal when an editor would call it unchanged."""
    if name == "tags":
        return tuple(sorted({alias_key(tag) for tag in value or ()}))
    if name in ("cities", "organisations"):
        return tuple(sorted(getattr(item, "pk", item) for item in value or ()))
    if name == "published_at":
        return _minute(value)
    return value or ""


def from_snapshot(data):
    """The comparable values a revision kept; a field it did not keep is left out (unknown)."""
    values = {}
    for name in FIELDS:
        key = SNAPSHOT_KEYS.get(name, name)
        if key not in data:
            continue
        value = data[key]
        if name == "status":
            values[name] = STATUS_BY_LABEL.get(value, value)
        elif name == "published_at":
            values[name] = value or ""
        else:
            values[name] = comparable(name, value)
    return values


def stored(article):
    """The article's values as it stands in the database, as a form's cleaned_data holds them."""
    values = {name: getattr(article, name) for name in (*TEXT_FIELDS, "status", "published_at")}
    values["tags"] = sorted(article.tags.names())
    values["cities"] = list(article.cities.order_by("name"))
    values["organisations"] = list(article.organisations.order_by("name"))
    return values


def shown(name, value):
    """A value as the side-by-side comparison shows it."""
    if name == "tags":
        return "，".join(value or ()) or "（无）"
    if name in ("cities", "organisations"):
        return "、".join(str(item) for item in value or ()) or "（无）"
    if name == "status":
        return Article.Status(value).label if value in Article.Status else value
    if name == "published_at":
        return _minute(value) or "（空）"
    return value or "（空）"


def form_data(name, value):
    """[(key, [values])]: how a browser would post value for this field of the admin form."""
    if name == "tags":
        return [(name, ["，".join(value)])]
    if name in ("cities", "organisations"):
        return [(name, [str(item.pk) for item in value])]
    if name == "published_at":
        local = timezone.localtime(value) if value else None
        return [
            (f"{name}_0", [f"{local:%Y-%m-%d}" if local else ""]),
            (f"{name}_1", [f"{local:%H:%M:%S}" if local else ""]),
        ]
    return [(name, [value or ""])]


def merge(article, seen_version, yours, only=None):
    """Merge yours (cleaned form values) based on seen_version with article as stored now."""
    current = Article.objects.get(pk=article.pk)
    theirs = stored(current)
    opened = article.revisions.filter(version=seen_version).first()
    base = from_snapshot(opened.data) if opened else {}
    saved_by = list(
        current.revisions.filter(version__gt=seen_version or 0)
        .select_related("user")
        .order_by("version", "pk")
    )
    result = Merge(
        changes=diff(opened.data, snapshot(current)) if opened else None,
        saved_by=saved_by,
        theirs=theirs,
    )
    last_change = _last_change(base, saved_by)
    for name in FIELDS:
        if name not in yours or (only is not None and name not in only):
            continue
        mine, stored_now = comparable(name, yours[name]), comparable(name, theirs[name])
        if mine == stored_now:
            continue
        if only is None and name in base and mine == base[name]:
            result.taken.append((name, LABELS.get(name, name), last_change.get(name)))
        elif only is not None or name not in base or stored_now != base[name]:
            result.conflicts.append(
                Conflict(
                    name,
                    LABELS.get(name, name),
                    theirs=shown(name, theirs[name]),
                    yours=shown(name, yours[name]),
                    by=last_change.get(name),
                )
            )
    return result


def _last_change(base, revisions):
    """{field: the last of revisions that changed it}."""
    changed, before = {}, base
    for revision in revisions:
        after = from_snapshot(revision.data)
        for name, value in after.items():
            if name in before and before[name] != value:
                changed[name] = revision
        before = {**before, **after}
    return changed

"""Unique slugs for the models that make their own from a name."""


def unique_slug(model, base, exclude_pk=None):
    """base, or base-2, base-3 … whichever is free in model's slug column."""
    base = base or "article"
    taken = set(
        model.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug

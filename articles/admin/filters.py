"""The article list's tag filter, for thousands of tags: a box to type a tag's name (or an
alias: AI finds 人工智能) and the most used tags among the articles this person can see, each
with its count, never a zero."""

from django.contrib import admin
from django.db.models import Count
from taggit.models import Tag

from articles.models import TagAlias, alias_key

MOST_USED = 12


class TagFilter(admin.SimpleListFilter):
    title = "标签"
    parameter_name = "tag"
    template = "admin/articles/article/tag_filter.html"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        # What the box's form must carry over: every other filter, not the page number.
        self.other_params = [
            (name, value)
            for name, values in request.GET.lists()
            if name not in (self.parameter_name, "p")
            for value in values
        ]
        self.tag = self.find(self.value())

    def has_output(self):
        return True  # the box, even before any article has a tag

    def lookups(self, request, model_admin):
        visible = model_admin.get_queryset(request).order_by().values("pk")
        tags = (
            Tag.objects.filter(article__in=visible)
            .annotate(uses=Count("article"))
            .order_by("-uses", "name")[:MOST_USED]
        )
        return [(tag.name, f"{tag.name}（{tag.uses}）") for tag in tags]

    def get_facet_counts(self, pk_attname, filtered_qs):
        return {}  # the counts are in the names already; a facet per tag would cost a query each

    @staticmethod
    def find(name):
        """The tag called name (case and width ignored) or of which it is an alias."""
        if not name or len(name) > 100:
            return None
        tag = Tag.objects.filter(name__iexact=name.strip()).first()
        if tag is None:
            alias = TagAlias.objects.select_related("tag").filter(key=alias_key(name)).first()
            tag = alias.tag if alias else None
        return tag

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if self.tag is None:
            return queryset.none()
        return queryset.tagged([self.tag])

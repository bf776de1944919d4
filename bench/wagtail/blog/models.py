"""The blog of Wagtail's tutorial: an index of posts and posts with tags."""

from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class BlogIndexPage(Page):
    """The newest 20 posts; ?tag= keeps those with the tag, ?q= searches them instead.
    Tags are prefetched, as anyone measuring a list would."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        posts = BlogPage.objects.live().child_of(self)
        if query := request.GET.get("q"):
            context["posts"] = posts.search(query)[:20]
            return context
        if tag := request.GET.get("tag"):
            posts = posts.filter(tags__name=tag)
        context["posts"] = posts.order_by("-first_published_at").prefetch_related("tags")[:20]
        return context


class BlogPageTag(TaggedItemBase):
    content_object = ParentalKey("BlogPage", related_name="tagged_items", on_delete=models.CASCADE)


class BlogPage(Page):
    date = models.DateTimeField("Post date", db_index=True)
    intro = models.CharField(max_length=250)
    body = RichTextField(blank=True)
    tags = ClusterTaggableManager(through=BlogPageTag, blank=True)

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["blog.BlogIndexPage"]

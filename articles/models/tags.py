"""What the site adds to taggit's tags: aliases, the redirects of renamed and merged tags,
and which tags the public may see."""

from django.db import models
from django.db.models import Exists, OuterRef
from taggit.models import Tag

from articles.models.articles import Article
from articles.models.cities import City
from articles.tagging import normalise_tag


def public_tags():
    """Tags the public may see: those on a published article or on a city profile."""
    return Tag.objects.filter(
        Exists(Article.objects.published().filter(tags=OuterRef("pk")))
        | Exists(City.objects.filter(tags=OuterRef("pk")))
    )


def alias_key(name):
    """How an alias is matched: normalised (width, zero-width), case ignored."""
    return normalise_tag(name).casefold()


class TagAlias(models.Model):
    """Another name for a tag: typing 人工智能 when AI is the tag, or LLM for 大模型."""

    name = models.CharField("别名", max_length=50)
    key = models.CharField(max_length=50, unique=True, editable=False)
    tag = models.ForeignKey(
        Tag, verbose_name="标签", on_delete=models.CASCADE, related_name="aliases"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "标签别名"
        verbose_name_plural = "标签别名"

    def __str__(self):
        return f"{self.name} → {self.tag}"

    def save(self, *args, **kwargs):
        self.key = alias_key(self.name)
        super().save(*args, **kwargs)


class TagRedirect(models.Model):
    """The URL of a tag that was renamed or merged away answers 301 to the tag it became."""

    old_slug = models.CharField("旧网址名", max_length=100, unique=True)
    tag = models.ForeignKey(
        Tag, verbose_name="标签", on_delete=models.CASCADE, related_name="redirects"
    )

    class Meta:
        ordering = ["old_slug"]
        verbose_name = "标签跳转"
        verbose_name_plural = "标签跳转"

    def __str__(self):
        return f"/tags/{self.old_slug}/ → {self.tag}"

"""Old article URLs: a changed slug is remembered and its URL answers 301 to the new one."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import Http404, HttpResponsePermanentRedirect

from articles.models import Article, SlugRedirect


@receiver(pre_save, sender=Article)
def remember_old_slug(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    instance._old_slug = (
        Article.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    )


@receiver(post_save, sender=Article)
def redirect_old_slug(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # A slug in use belongs to its article, never to a redirect.
    SlugRedirect.objects.filter(old_slug=instance.slug).delete()
    old = getattr(instance, "_old_slug", None)
    if old and old != instance.slug:
        SlugRedirect.objects.update_or_create(old_slug=old, defaults={"article": instance})


def moved_article(slug):
    """A 301 to the published article that used to live at slug, or a 404."""
    redirect = (
        SlugRedirect.objects.filter(old_slug=slug, article__in=Article.objects.published())
        .select_related("article")
        .first()
    )
    if redirect is None:
        raise Http404("没有这篇文章。")
    return HttpResponsePermanentRedirect(redirect.article.get_absolute_url())

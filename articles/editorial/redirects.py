"""Old article URLs: a changed slug is remembered and its URL answers 301 to the new one."""

from django.http import Http404, HttpResponsePermanentRedirect

from articles.models import Article, SlugRedirect


def slug_saved(article, old_slug):
    """After a save: a new slug takes its address from any redirect (a slug in use belongs
    to its article), and the former one, if it changed, now redirects to the article."""
    if old_slug == article.slug:
        return  # unchanged: no redirect can hold a slug in use
    SlugRedirect.objects.filter(old_slug=article.slug).delete()
    if old_slug:
        SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": article})


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

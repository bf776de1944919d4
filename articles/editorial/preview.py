"""Shareable draft previews: a signed, expiring link that needs no account.

The token signs only the article's id (with a timestamp), so a link already shared keeps
showing the latest text while the author fixes typos; it stops working after
PREVIEW_MAX_AGE. The page is `noindex` and never stored by a shared cache.
"""

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.models import Article
from articles.views import article_context

SALT = "articles.preview"


def preview_token(article):
    return signing.dumps(article.pk, salt=SALT)


def preview_url(request, article):
    path = reverse("articles:article-preview", args=[preview_token(article)])
    return request.build_absolute_uri(path)


@never_cache
@require_safe
def article_preview(request, token):
    try:
        pk = signing.loads(token, salt=SALT, max_age=settings.PREVIEW_MAX_AGE)
    except signing.SignatureExpired:
        return render(request, "articles/preview_expired.html", status=410)
    except signing.BadSignature:
        raise Http404("预览链接无效。") from None
    article = Article.objects.for_detail().filter(pk=pk).first()
    if article is None:
        raise Http404("这篇文章已被删除。")
    response = render(
        request, "articles/article_detail.html", article_context(article, is_preview=True)
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

"""Sharing and search-engine tags: canonical URL, OpenGraph, Twitter and JSON-LD."""

import functools
import json

import segno
from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.models import Article

register = template.Library()

DEFAULT_IMAGE = "articles/share.png"
# As django.utils.html.json_script escapes: nothing in the data can close the <script>.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def share_image(request, obj=None):
    """An article's 1200×630 card (of its share image, else of its cover), else the site's
    default card: never the uploaded original, which may be 8 MB."""
    card = obj.share_card_url() if isinstance(obj, Article) else ""
    return request.build_absolute_uri(card or static(DEFAULT_IMAGE))


@register.inclusion_tag("includes/page_meta.html", takes_context=True)
def page_meta(context, title, description, obj=None, kind="website"):
    """A page's <title> ("title · site name", or the site name alone), description, canonical
    URL, OpenGraph and Twitter tags: each page states its title and description once."""
    request = context["request"]
    return {
        "site_name": settings.SITE_NAME,
        "title": f"{title} · {settings.SITE_NAME}" if title else settings.SITE_NAME,
        "description": description,
        "kind": kind,
        "url": request.build_absolute_uri(request.path),
        "image": share_image(request, obj),
        "obj": obj,
        "og_locale": context.get("script", {}).get("og_locale", "zh_CN"),
    }


def news_article(request, article):
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.share_title,
        "description": article.share_description,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "mainEntityOfPage": request.build_absolute_uri(article.get_absolute_url()),
        "image": [share_image(request, article)],
        "inLanguage": "zh-Hant" if getattr(request, "traditional", False) else "zh-CN",
        "dateModified": article.updated_at,
        "keywords": [tag.name for tag in article.tags.all()],
        "author": {"@type": "Organization", "name": article.source or settings.SITE_NAME},
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
    }
    if article.published_at:
        data["datePublished"] = article.published_at
    if article.author and article.author.get_full_name():
        data["author"] = {"@type": "Person", "name": article.author.get_full_name()}
    return data


def place(request, city):
    data = {
        "@context": "https://schema.org",
        "@type": "Place",
        "name": city.name,
        "url": request.build_absolute_uri(city.get_absolute_url()),
        "description": city.summary or city.name,
        "address": {"@type": "PostalAddress", "addressCountry": "CN"},
    }
    if city.name_en:
        data["alternateName"] = city.name_en
    if city.province:
        data["address"]["addressRegion"] = city.province
    return data


@register.simple_tag(takes_context=True)
def jsonld(context, obj):
    """<script type="application/ld+json"> for an article (NewsArticle) or a city (Place)."""
    request = context["request"]
    data = news_article(request, obj) if isinstance(obj, Article) else place(request, obj)
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(JSON_SCRIPT_ESCAPES)),
    )


@register.inclusion_tag("articles/includes/share.html", takes_context=True)
def share(context, obj):
    """Copy-link and a QR code of the page's address, drawn here (no outside service sees the
    reader): on a desktop, scanned with WeChat to read on, or share from, a phone."""
    url = context["request"].build_absolute_uri(obj.get_absolute_url())
    return {"url": url, "qr": mark_safe(qr_code(url))}


@functools.lru_cache(maxsize=2048)
def qr_code(url):
    """An address's QR code as SVG: drawing one took a third of an article page's time, and an
    address's code never changes, so each process draws it once."""
    return segno.make(url, error="m").svg_inline(scale=3, border=4, svgclass="qr-code")

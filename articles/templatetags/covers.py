from django import template

from articles.editorial.images import default_src, srcset

register = template.Library()


@register.inclusion_tag("articles/includes/cover.html")
def cover(article, sizes="(min-width: 1000px) 960px, 100vw", width=960):
    """The article's cover at the size the browser picks from srcset, or nothing."""
    renditions = article.cover_renditions or {}
    if not renditions.get("sizes"):
        return {"src": ""}
    fitting = [s for s in renditions["sizes"] if s[0] <= width] or renditions["sizes"][:1]
    return {
        "src": default_src(renditions, width),
        "srcset": srcset(renditions),
        "sizes": sizes,
        "width": fitting[-1][0],
        "height": fitting[-1][1],
        "alt": article.cover_alt,
    }

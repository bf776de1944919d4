from django import template
from django.utils import timezone

from articles.cities import indicators

register = template.Library()


@register.simple_tag(takes_context=True)
def add_param(context, name, value):
    """The current query string with name=value added (page reset): a facet link."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    if str(value) not in params.getlist(name):
        params.appendlist(name, str(value))
    return f"?{params.urlencode()}"


@register.simple_tag(takes_context=True)
def remove_param(context, name, value):
    """The current query string without name=value (page reset): a chip's remove link."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    params.setlist(name, [v for v in params.getlist(name) if v != str(value)])
    return f"?{params.urlencode()}" if params else "?"


@register.filter
def html_datetime(value):
    """A <time datetime> value: local time to the second (HTML has no microseconds)."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


register.filter("amount", indicators.amount)

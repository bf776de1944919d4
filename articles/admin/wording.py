"""One register in the admin's messages: Django joins two translated sentences with an ASCII
space ("…已添加。 可以在下面继续编辑。"), which Chinese text does not have. The wording itself is
in locale/zh_Hans (LOCALE_PATHS)."""

import re

from django.apps import apps
from django.utils.safestring import SafeData, mark_safe
from django.utils.text import capfirst

# A space after a Chinese full stop, question or exclamation mark, or closing quote.
AFTER_CHINESE_STOP = re.compile(r"(?<=[。！？；：”」』》）])\s+")


class Wording:
    def get_deleted_objects(self, objs, request):
        """The delete page's list says 文章：《…》, not Django's "文章: …"."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        # The rows joining an article to its cities go with it; Django names them in English.
        joins = {
            str(capfirst(model._meta.verbose_name)): str(model._meta.verbose_name_plural)
            for model in apps.get_models(include_auto_created=True)
            if model._meta.auto_created
        }
        model_count = {name: n for name, n in model_count.items() if name not in joins.values()}
        return _chinese_colons(deleted, tuple(joins)), model_count, perms_needed, protected

    def message_user(self, request, message, *args, **kwargs):
        joined = AFTER_CHINESE_STOP.sub("", str(message))
        if isinstance(message, SafeData):  # Django's own link to the object stays a link
            joined = mark_safe(joined)
        super().message_user(request, joined, *args, **kwargs)


def _chinese_colons(items, skipped):
    if isinstance(items, list):
        return [
            _chinese_colons(item, skipped)
            for item in items
            if isinstance(item, list) or not str(item).startswith(skipped)
        ]
    text = str(items).replace(": ", "：", 1)
    return mark_safe(text) if isinstance(items, SafeData) else text

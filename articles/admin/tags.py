"""The tag admin: published-article counts, rename with redirects, merge, aliases."""

# articles loads before taggit (INSTALLED_APPS): taggit's Tag admin must exist to be replaced.
import taggit.admin  # noqa: F401
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin
from taggit.models import Tag

from articles.admin.wording import Wording
from articles.editorial.tag_care import merge, rename, with_published_counts
from articles.models import TagAlias, alias_key
from articles.tagging import normalise_tag, tag_slug, validate_tag_names
from articles.tasks import after_commit, reindex_titles


class TagRenameForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ("name",)

    def clean_name(self):
        name = normalise_tag(self.cleaned_data["name"])
        validate_tag_names([name])
        clash = Tag.objects.exclude(pk=self.instance.pk)
        if clash.filter(name__iexact=name).exists() or clash.filter(slug=tag_slug(name)).exists():
            raise forms.ValidationError(f"已有标签“{name}”：要把两者并为一个，请用“合并”。")
        alias = TagAlias.objects.filter(key=alias_key(name)).exclude(tag=self.instance).first()
        if alias:
            raise forms.ValidationError(f"“{name}”已是标签“{alias.tag}”的别名。")
        return name


class TagAliasForm(forms.ModelForm):
    class Meta:
        model = TagAlias
        fields = ("name",)

    def clean_name(self):
        name = normalise_tag(self.cleaned_data["name"])
        validate_tag_names([name])
        if Tag.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(f"已有名为“{name}”的标签：请用“合并”把它并进来。")
        taken = TagAlias.objects.filter(key=alias_key(name)).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"别名“{name}”已经用在别的标签上。")
        return name


class TagAliasInline(admin.TabularInline):
    model = TagAlias
    form = TagAliasForm
    extra = 1
    show_change_link = True  # to the alias's history


@admin.register(TagAlias)
class TagAliasAdmin(Wording, SimpleHistoryAdmin):
    """Aliases are edited on their tag's page; here each one's history can be read."""

    form = TagAliasForm
    list_display = ("name", "tag")
    list_select_related = ("tag",)
    search_fields = ("name", "tag__name")
    autocomplete_fields = ("tag",)
    fields = ("name", "tag")


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(Wording, SimpleHistoryAdmin):
    form = TagRenameForm
    list_display = ("name", "slug", "num_published", "alias_list")
    search_fields = ("name", "slug", "aliases__name")
    readonly_fields = ("slug",)
    inlines = (TagAliasInline,)
    actions = ("merge_tags",)

    def get_queryset(self, request):
        return with_published_counts(super().get_queryset(request)).prefetch_related("aliases")

    @admin.display(description="已发布文章", ordering="num_published")
    def num_published(self, tag):
        return tag.num_published

    @admin.display(description="别名")
    def alias_list(self, tag):
        return "、".join(alias.name for alias in tag.aliases.all())

    def save_model(self, request, obj, form, change):
        if change and "name" in form.changed_data:
            rename(obj, obj.name)
        else:
            super().save_model(request, obj, form, change)

    @admin.action(description="合并所选标签", permissions=("change", "delete"))
    @transaction.atomic
    def merge_tags(self, request, queryset):
        tags = list(queryset.order_by("-num_published", "name"))
        if len(tags) < 2:
            self.message_user(request, "请至少选择两个标签来合并。", messages.WARNING)
            return None
        target_pk = request.POST.get("target")
        target = next((tag for tag in tags if str(tag.pk) == target_pk), None)
        if "confirm" not in request.POST or target is None:
            return TemplateResponse(
                request,
                "admin/taggit/tag/merge.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.opts,
                    "title": "合并标签",
                    "tags": tags,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        sources = [tag for tag in tags if tag.pk != target.pk]
        changed = merge(target, sources)
        if changed:
            note = f"标签合并为“{target.name}”"
            after_commit(reindex_titles, sorted(changed), note, request.user.pk)
        names = "、".join(tag.name for tag in sources)
        self.message_user(
            request,
            f"已把 {names} 合并为“{target.name}”；旧网址永久跳转到新标签，旧名称成为别名。"
            f"{len(changed)} 篇文章的搜索索引和修订记录在后台更新。",
            messages.SUCCESS,
        )
        return None

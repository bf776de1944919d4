from django.contrib import admin, messages
from django.db import models, transaction
from django.urls import path, reverse
from django.utils.html import format_html

from articles import admin_import, revisions
from articles.city_admin import FiguresImportExportMixin, IndicatorValueInline
from articles.editorial_admin import EditorialArticleAdmin
from articles.forms import ArticleAdminForm, TaggedAdminForm
from articles.models import Article, City, CityFigures, OriginalLink


class OriginalLinkInline(admin.TabularInline):
    model = OriginalLink
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


def locked(queryset):
    """The selected articles, read fresh and locked until the action's transaction ends: a
    form saved meanwhile waits, then is refused as stale, rather than failing this action."""
    return Article.objects.select_for_update().filter(
        pk__in=list(queryset.values_list("pk", flat=True))
    )


@admin.register(Article)
class ArticleAdmin(EditorialArticleAdmin):
    form = ArticleAdminForm
    list_display = ("title", "state", "published_at", "tag_list", "city_list", "author")
    list_filter = ("status", "tags", "cities", "published_at")
    list_select_related = ("author",)
    search_fields = ("title", "summary", "body", "slug")
    date_hierarchy = "published_at"
    show_facets = admin.ShowFacets.ALWAYS
    autocomplete_fields = ("cities", "organisations")
    readonly_fields = ("created_at", "updated_at", "author", "suggestions", "import_report")
    inlines = (OriginalLinkInline,)
    actions = ("publish", "unpublish", "link_mentions")
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "body", "seen_version")}),
        ("分类", {"fields": ("tags", "cities", "organisations", "suggestions", "accept_mentions")}),
        ("封面图", {"fields": ("cover_image", "cover_alt")}),
        ("发布", {"fields": ("status", "published_at", "source")}),
        ("记录", {"fields": ("author", "created_at", "updated_at"), "classes": ("collapse",)}),
        ("导入", {"fields": ("import_report",)}),
    )

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(lambda request, **kw: function(request, self, **kw))

        return [
            path("import/", view(admin_import.import_view), name="articles_article_import"),
            path(
                "import/<int:pk>/",
                view(admin_import.import_result_view),
                name="articles_article_import_result",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="导入报告")
    def import_report(self, obj):
        record = getattr(obj, "import_record", None) if obj.pk else None
        if record is None:
            return "—"
        url = reverse("admin:articles_article_import_result", args=[obj.pk])
        flagged = len(record.report.get("flagged", []))
        return format_html(
            '<a href="{}">查看改动、原始文本与建议</a>{}',
            url,
            f"（{flagged} 处乱码待核对）" if flagged else "",
        )

    def get_queryset(self, request):
        return super().get_queryset(request).for_listing()

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="文中提到、尚未关联")
    def suggestions(self, obj):
        names = [*obj.suggested_cities(), *obj.suggested_organisations()] if obj.pk else []
        return "、".join(map(str, names)) or "—"

    @admin.action(description="关联所选文章中提到的城市和机构", permissions=("change",))
    @transaction.atomic
    def link_mentions(self, request, queryset):
        # Like an edit: only articles this person may edit; each change is a save (a new
        # version, so a form opened before is refused) and a revision.
        linked = [
            article
            for article in locked(queryset)
            if article.can_be_edited_by(request.user) and article.has_unlinked_mentions()
        ]
        for article in linked:
            article.accept_mentions()
            article.save()
            revisions.record(article, request.user, note="关联文中提到的城市和机构")
        self.message_user(request, f"已为 {len(linked)} 篇文章关联文中提到的城市和机构。")

    @admin.display(description="标签")
    def tag_list(self, obj):
        return "，".join(tag.name for tag in obj.tags.all())

    @admin.display(description="城市")
    def city_list(self, obj):
        return "、".join(city.name for city in obj.cities.all())

    # All or none: a failure half-way through a batch rolls back the whole action.
    @admin.action(description="立即发布所选文章", permissions=("publish",))
    @transaction.atomic
    def publish(self, request, queryset):
        # Row by row, each read fresh: save() fills published_at, bumps the version (so a form
        # opened before is refused) and a revision is kept.
        articles = [a for a in locked(queryset) if not a.is_public]
        for article in articles:
            article.publish()
            revisions.record(article, request.user, note="发布")
        self.message_user(request, f"已发布 {len(articles)} 篇文章。", messages.SUCCESS)

    @admin.action(description="撤回所选文章（改为草稿）", permissions=("publish",))
    @transaction.atomic
    def unpublish(self, request, queryset):
        articles = locked(queryset).filter(status__in=Article.PUBLIC_STATUSES)
        for article in articles:
            article.unpublish()
            revisions.record(article, request.user, note="撤回")
        self.message_user(request, f"已撤回 {len(articles)} 篇文章。", messages.SUCCESS)


class CityFiguresInline(admin.TabularInline):
    model = CityFigures
    extra = 1
    fields = (
        "year", "gdp", "gdp_source", "population", "population_source", "gdp_rank", "gdp_rank_source",
    )  # fmt: skip


@admin.register(City)
class CityAdmin(FiguresImportExportMixin, admin.ModelAdmin):
    form = TaggedAdminForm
    list_display = ("name", "name_en", "province", "region", "latest_gdp_display")
    list_filter = ("region", "province")
    search_fields = ("name", "name_en", "slug", "province")
    inlines = (CityFiguresInline, IndicatorValueInline)

    def get_queryset(self, request):
        return super().get_queryset(request).with_figures()

    @admin.display(description="最新 GDP（亿元）")
    def latest_gdp_display(self, obj):
        row = obj.latest_gdp
        return f"{row.gdp:,}（{row.year}）" if row else "—"


# The tag admin (counts, rename, merge, aliases) replaces taggit's.
from articles import tag_admin  # noqa: E402, F401

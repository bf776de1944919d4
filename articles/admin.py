from django.contrib import admin, messages
from django.db import models, transaction

from articles.forms import TaggedAdminForm
from articles.models import Article, City, CityFigures, OriginalLink


class OriginalLinkInline(admin.TabularInline):
    model = OriginalLink
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = TaggedAdminForm
    list_display = ("title", "status", "published_at", "tag_list", "city_list", "author")
    list_filter = ("status", "tags", "cities", "published_at")
    list_select_related = ("author",)
    search_fields = ("title", "summary", "body", "slug")
    date_hierarchy = "published_at"
    show_facets = admin.ShowFacets.ALWAYS
    autocomplete_fields = ("cities",)
    readonly_fields = ("created_at", "updated_at", "author")
    inlines = (OriginalLinkInline,)
    actions = ("publish", "unpublish")
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "body")}),
        ("分类", {"fields": ("tags", "cities")}),
        ("发布", {"fields": ("status", "published_at", "source")}),
        ("记录", {"fields": ("author", "created_at", "updated_at"), "classes": ("collapse",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).for_listing()

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="标签")
    def tag_list(self, obj):
        return "，".join(tag.name for tag in obj.tags.all())

    @admin.display(description="城市")
    def city_list(self, obj):
        return "、".join(city.name for city in obj.cities.all())

    # All or none: a failure half-way through a batch rolls back the whole action.
    @admin.action(description="发布所选文章", permissions=("change",))
    @transaction.atomic
    def publish(self, request, queryset):
        # Row by row, so that save() fills published_at and whatever else it derives.
        articles = queryset.exclude(status=Article.Status.PUBLISHED)
        for article in articles:
            article.publish()
        self.message_user(request, f"已发布 {len(articles)} 篇文章。", messages.SUCCESS)

    @admin.action(description="撤回所选文章（改为草稿）", permissions=("change",))
    @transaction.atomic
    def unpublish(self, request, queryset):
        articles = queryset.filter(status=Article.Status.PUBLISHED)
        for article in articles:
            article.unpublish()
        self.message_user(request, f"已撤回 {len(articles)} 篇文章。", messages.SUCCESS)


class CityFiguresInline(admin.TabularInline):
    model = CityFigures
    extra = 1
    fields = (
        "year", "gdp", "gdp_source", "population", "population_source", "gdp_rank", "gdp_rank_source",
    )  # fmt: skip


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    form = TaggedAdminForm
    list_display = ("name", "name_en", "province", "region", "latest_gdp_display")
    list_filter = ("region", "province")
    search_fields = ("name", "name_en", "slug", "province")
    inlines = (CityFiguresInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).with_figures()

    @admin.display(description="最新 GDP（亿元）")
    def latest_gdp_display(self, obj):
        row = obj.latest_gdp
        return f"{row.gdp:,}（{row.year}）" if row else "—"

"""The article admin, with the editorial rules enforced on the server.

Authors (no `articles.publish_article`) see and edit only their own drafts, and never the
status or publication date; editors do everything. Every change is one save_with_revision():
a new version (a form opened before is merged, not overwritten: articles.editorial.merge) and a
revision. The import pages, the Markdown preview and tag suggestions are views of this admin; the
revision history, autosave and presence views come from articles.admin.editing.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from articles.admin.editing import EditingViews
from articles.admin.filters import TagFilter
from articles.admin.forms import ArticleAdminForm, ImportForm, SuggestionsForm
from articles.admin.review import ReviewViews
from articles.admin.wording import Wording
from articles.editorial import autosave, presence, review
from articles.editorial.preview import preview_url
from articles.editorial.revisions import save_with_revision
from articles.editorial.tag_care import describe
from articles.importer.drafts import create_draft
from articles.importer.structure import ImportRefused
from articles.markdown import MAX_BODY_LENGTH, render_markdown
from articles.models import Article, ArticleImport, CoverNotStored, MediaImage, OriginalLink
from articles.search import results as search


class OriginalLinkInline(admin.TabularInline):
    model = OriginalLink
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


FORM_ONLY = ("seen_version", "merge_base", "merge_conflicts", "accept_mentions")


def locked(queryset):
    """The selected articles, read fresh and locked until the action's transaction ends: a
    form saved meanwhile waits, then is refused as stale, rather than failing this action."""
    return Article.objects.select_for_update().filter(
        pk__in=list(queryset.values_list("pk", flat=True))
    )


@admin.register(Article)
class ArticleAdmin(Wording, ReviewViews, EditingViews, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ("title", "state", "published_at", "tag_list", "city_list", "author")
    list_filter = ("status", TagFilter, "cities", "published_at")
    list_select_related = ("author",)
    search_fields = ("title", "summary", "body", "slug")
    date_hierarchy = "published_at"
    show_facets = admin.ShowFacets.ALWAYS
    autocomplete_fields = ("cities", "organisations", "share_image")
    readonly_fields = ("created_at", "updated_at", "author", "suggestions", "import_report")
    inlines = (OriginalLinkInline,)
    actions = ("publish", "unpublish", "link_mentions")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    *("title", "slug", "summary", "body"),
                    *("seen_version", "merge_base", "merge_conflicts"),
                )
            },
        ),
        ("分类", {"fields": ("tags", "cities", "organisations", "suggestions", "accept_mentions")}),
        ("封面图", {"fields": ("cover_image", "cover_alt")}),
        ("分享与搜索", {"fields": ("seo_title", "seo_description", "share_image")}),
        ("发布", {"fields": ("status", "published_at", "source")}),
        ("记录", {"fields": ("author", "created_at", "updated_at"), "classes": ("collapse",)}),
        ("导入", {"fields": ("import_report",)}),
    )

    class Media:
        js = ("articles/editor.js",)
        css = {"all": ("articles/editor.css",)}

    # Who may do what

    def has_publish_permission(self, request):
        return request.user.has_perm(Article.PUBLISH_PERMISSION)

    def get_queryset(self, request):
        articles = super().get_queryset(request).for_listing()
        if self.has_publish_permission(request):
            return articles
        return articles.filter(author=request.user)

    def get_search_results(self, request, queryset, search_term):
        """The site's search, over what the admin lists (drafts too): the same folding and
        blocks, so 經濟 finds 经济 here as on the site. A slug is also found as typed."""
        if not search_term.split():
            return queryset, False
        found = Q(pk__in=search.matching(Article.objects.all(), search_term).values("pk"))
        slug = search_term.strip()
        if len(slug) <= 120 and "\x00" not in slug:  # PostgreSQL refuses a NUL in a string
            found |= Q(slug=slug)
        return queryset.filter(found), False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.can_be_edited_by(request.user))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.can_be_deleted_by(request.user))

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_publish_permission(request):
            # Authors delete one draft at a time, from its page, where the rule is checked.
            actions.pop("delete_selected", None)
        return actions

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django's "perhaps it was deleted?" also answers an author opening a colleague's draft.
        self.message_user(
            request,
            f"编号为 {object_id} 的文章不存在，或者不是您写的：作者只能打开自己的文章。"
            "需要看同事的稿件，请找编辑。",
            messages.WARNING,
        )
        return redirect("admin:articles_article_changelist")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read only: the form's own workings (merge state, the mentions box) are no reading.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in FORM_ONLY]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not self.has_publish_permission(request):
            fields = (*fields, "status", "published_at")
        return fields

    def _may_write(self, request):
        return self.has_add_permission(request) or self.has_change_permission(request)

    # The change form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except CoverNotStored as error:
            # Rolled back, files removed: the form again, with what was typed and why not.
            request.cover_not_stored = str(error)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.cover_not_stored = getattr(request, "cover_not_stored", "")
        return form

    def save_model(self, request, obj, form, change):
        # Saved in save_related(), with the tags, cities and links, as one revision.
        if not change and obj.author_id is None:
            obj.author = request.user

    def save_related(self, request, form, formsets, change):
        article = form.instance
        if article.cover_upload:
            self.message_user(request, "新封面图在后台处理，几秒钟后读者就能看到。", messages.INFO)
        save_with_revision(
            article,
            request.user,
            note="" if change else "新建",
            related=lambda: super(ArticleAdmin, self).save_related(request, form, formsets, change),
        )
        autosave.forget(request.user, article if change else None)
        was_public = form.initial.get("status") in Article.PUBLIC_STATUSES
        if article.status in Article.PUBLIC_STATUSES and not was_public:
            # Published (or scheduled) by setting the status in the form, as by the button.
            link = request.build_absolute_uri(article.get_absolute_url())
            review.tell_author_published(article, request.user, link)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["merge"] = context["adminform"].form.merge
        context["markdown_preview_url"] = reverse("admin:articles_article_markdown_preview")
        context["tag_suggestions_url"] = reverse("admin:articles_article_tag_suggestions")
        if request.user.has_perm("articles.add_mediaimage"):
            context["image_upload_url"] = reverse("admin:articles_mediaimage_upload")
        if request.user.has_perm("articles.view_mediaimage"):
            context["image_pick_url"] = reverse("admin:articles_mediaimage_pick")
        if obj is None:
            context["may_submit"] = True  # a new article is a draft of one's own
            context["autosave_url"] = reverse("admin:articles_article_autosave_new")
        elif self.has_change_permission(request, obj):
            context["autosave_url"] = reverse("admin:articles_article_autosave", args=[obj.pk])
            context["presence_url"] = reverse("admin:articles_article_presence", args=[obj.pk])
            context["heartbeat_ms"] = presence.HEARTBEAT_SECONDS * 1000
        if "autosave_url" in context and request.method == "GET":
            context["autosaved"] = autosave.offered(request.user, obj)
        if obj is not None:
            context.update(self.review_context(request, obj))
            context["share_preview_url"] = preview_url(request, obj)
            context["revisions_url"] = reverse("admin:articles_article_revisions", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Columns and read-only fields

    @admin.display(description="状态", ordering="status")
    def state(self, obj):
        if obj.is_scheduled:  # the time is in the next column
            return Article.Status.SCHEDULED.label
        if obj.is_public:
            return Article.Status.PUBLISHED.label
        if obj.status == Article.Status.REVIEW:
            return Article.Status.REVIEW.label
        return Article.Status.DRAFT.label

    @admin.display(description="标签")
    def tag_list(self, obj):
        return "，".join(tag.name for tag in obj.tags.all())

    @admin.display(description="城市")
    def city_list(self, obj):
        return "、".join(city.name for city in obj.cities.all())

    @admin.display(description="文中提到、尚未关联")
    def suggestions(self, obj):
        names = [*obj.suggested_cities(), *obj.suggested_organisations()] if obj.pk else []
        return "、".join(map(str, names)) or "—"

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

    # Actions: all or none, row by row, each article read fresh and saved with a revision

    @admin.action(description="立即发布所选文章", permissions=("publish",))
    @transaction.atomic
    def publish(self, request, queryset):
        articles = [a for a in locked(queryset) if not a.is_public]
        for article in articles:
            link = request.build_absolute_uri(article.get_absolute_url())
            review.publish(article, request.user, link)
        self.message_user(request, f"已发布 {len(articles)} 篇文章。", messages.SUCCESS)

    @admin.action(description="撤回所选文章（改为草稿）", permissions=("publish",))
    @transaction.atomic
    def unpublish(self, request, queryset):
        articles = locked(queryset).filter(status__in=Article.PUBLIC_STATUSES)
        for article in articles:
            article.unpublish()
            save_with_revision(article, request.user, note="撤回")
        self.message_user(request, f"已撤回 {len(articles)} 篇文章。", messages.SUCCESS)

    @admin.action(description="关联所选文章中提到的城市和机构", permissions=("change",))
    @transaction.atomic
    def link_mentions(self, request, queryset):
        # Like an edit: only articles this person may edit.
        linked = [
            article
            for article in locked(queryset)
            if article.can_be_edited_by(request.user) and article.has_unlinked_mentions()
        ]
        for article in linked:
            save_with_revision(
                article,
                request.user,
                note="关联文中提到的城市和机构",
                related=article.accept_mentions,
            )
        self.message_user(request, f"已为 {len(linked)} 篇文章关联文中提到的城市和机构。")

    # Views of their own

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("import/", view(self.import_view), name="articles_article_import"),
            path(
                "import/<int:pk>/",
                view(self.import_result_view),
                name="articles_article_import_result",
            ),
            path(
                "markdown-preview/",
                view(self.markdown_preview_view),
                name="articles_article_markdown_preview",
            ),
            path(
                "tag-suggestions/",
                view(self.tag_suggestions_view),
                name="articles_article_tag_suggestions",
            ),
            *self.editing_urls(view),
            *self.review_urls(view),
            *super().get_urls(),
        ]

    def markdown_preview_view(self, request):
        """The body as the article page will show it, through the same renderer as save()."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self._may_write(request):
            raise PermissionDenied
        body = request.POST.get("body", "")
        if len(body) > MAX_BODY_LENGTH:
            return JsonResponse(
                {"error": f"正文有 {len(body):,} 字，超过上限 {MAX_BODY_LENGTH:,} 字。"}, status=400
            )
        return JsonResponse({"html": render_markdown(body, MediaImage.objects.figures_in(body))})

    def tag_suggestions_view(self, request):
        if not self._may_write(request):
            raise PermissionDenied
        return JsonResponse(describe(request.GET.get("q", "")[:50]))

    def _get_article(self, request, object_id):
        article = self.get_object(request, str(object_id))
        if article is None:
            raise Http404("没有这篇文章，或您无权查看。")
        return article

    def _page(self, request, template, title, **context):
        return TemplateResponse(
            request,
            template,
            {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **context},
        )

    def import_view(self, request):
        """Paste or upload a text from a WeChat mirror; get a draft and a report of the changes."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = ImportForm(request.POST, request.FILES) if posted else ImportForm()
        if posted and form.is_valid():
            data = form.cleaned_data
            try:
                article = create_draft(data["raw"], data["filename"], request.user)
            except ImportRefused as error:
                form.add_error(None, str(error))
            else:
                return redirect("admin:articles_article_import_result", article.pk)
        return self._page(request, "admin/articles/article/import.html", "导入文章", form=form)

    def import_result_view(self, request, pk):
        """The import's report, and the suggested tags and cities to accept or drop."""
        imports = ArticleImport.objects.select_related("article")
        record = get_object_or_404(imports, article_id=pk)
        article = record.article
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        form = SuggestionsForm(request.POST or None, record=record)
        if request.method == "POST" and form.is_valid():
            tags, cities = form.cleaned_data["tags"], form.cleaned_data["cities"]

            def accept():
                article.tags.add(*tags)
                article.cities.add(*cities)
                record.suggested_tags, record.suggested_cities = [], []
                record.save(update_fields=["suggested_tags", "suggested_cities"])

            save_with_revision(article, request.user, note="采纳导入建议", related=accept)
            messages.success(request, f"已采纳 {len(tags)} 个标签、{len(cities)} 个城市。")
            return redirect("admin:articles_article_change", article.pk)
        return self._page(
            request,
            "admin/articles/article/import_result.html",
            "导入报告",
            form=form,
            record=record,
            article=article,
            report=record.report,
        )

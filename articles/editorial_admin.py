"""The editorial rules of the article admin, enforced on the server.

Authors (no `articles.publish_article`) see and edit only their own drafts, and never the
status or publication date; editors do everything. Each save keeps a revision and is
refused when it is based on an outdated copy.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from articles import revisions
from articles.forms import ArticleAdminForm
from articles.models import MAX_BODY_LENGTH, Article, CoverNotStored
from articles.preview import preview_url
from articles.tag_care import suggest
from articles.text import render_markdown


class EditorialArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm

    class Media:
        js = ("articles/editor.js",)
        css = {"all": ("articles/editor.css",)}

    def has_publish_permission(self, request):
        return request.user.has_perm(Article.PUBLISH_PERMISSION)

    def get_queryset(self, request):
        articles = super().get_queryset(request)
        if self.has_publish_permission(request):
            return articles
        return articles.filter(author=request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.can_be_edited_by(request.user))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.can_be_edited_by(request.user))

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not self.has_publish_permission(request):
            fields = (*fields, "status", "published_at")
        return fields

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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        revisions.record(form.instance, request.user, note="" if change else "新建")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["changed_meanwhile"] = context["adminform"].form.changed_meanwhile
        context["markdown_preview_url"] = reverse("admin:articles_article_markdown_preview")
        context["tag_suggestions_url"] = reverse("admin:articles_article_tag_suggestions")
        if obj is not None:
            context["share_preview_url"] = preview_url(request, obj)
            context["revisions_url"] = reverse("admin:articles_article_revisions", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
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
            path(
                "<int:object_id>/revisions/",
                view(self.revisions_view),
                name="articles_article_revisions",
            ),
            path(
                "<int:object_id>/revisions/<int:revision_id>/revert/",
                view(self.revert_view),
                name="articles_article_revert",
            ),
            *super().get_urls(),
        ]

    def _may_write(self, request):
        return self.has_add_permission(request) or self.has_change_permission(request)

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
        return JsonResponse({"html": render_markdown(body)})

    def tag_suggestions_view(self, request):
        if not self._may_write(request):
            raise PermissionDenied
        return JsonResponse({"results": suggest(request.GET.get("q", "")[:50])})

    def _get_article(self, request, object_id):
        article = self.get_object(request, str(object_id))
        if article is None:
            raise Http404("没有这篇文章，或你无权查看。")
        return article

    def revisions_view(self, request, object_id):
        article = self._get_article(request, object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"修订记录：{article}",
            "article": article,
            "revisions": revisions.history(article),
            "can_revert": self.has_change_permission(request, article),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def revert_view(self, request, object_id, revision_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._get_article(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(article.revisions, pk=revision_id)
        revisions.revert(article, revision, request.user)
        self.message_user(request, f"已恢复到第 {revision.version} 版。", messages.SUCCESS)
        return redirect("admin:articles_article_change", article.pk)

    @admin.display(description="状态", ordering="status")
    def state(self, obj):
        if obj.is_scheduled:
            return f"定时：{timezone.localtime(obj.published_at):%Y-%m-%d %H:%M}"
        if obj.is_public:
            return Article.Status.PUBLISHED.label
        return Article.Status.DRAFT.label

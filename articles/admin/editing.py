"""The article admin's views for editing together: revisions (history, compare, a revert that
asks first), autosave and presence. A mixin of ArticleAdmin (articles.admin.articles), which
provides _get_article() and _page(); every view checks the per-article permission itself."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone

from articles.editorial import autosave, presence, revisions
from articles.models import Article


class EditingViews:
    def editing_urls(self, view):
        return [
            path(
                "<int:object_id>/revisions/",
                view(self.revisions_view),
                name="articles_article_revisions",
            ),
            path(
                "<int:object_id>/revisions/compare/",
                view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<int:object_id>/revisions/<int:revision_id>/revert/",
                view(self.revert_view),
                name="articles_article_revert",
            ),
            path("autosave/", view(self.autosave_view), name="articles_article_autosave_new"),
            path(
                "<int:object_id>/autosave/",
                view(self.autosave_view),
                name="articles_article_autosave",
            ),
            path(
                "<int:object_id>/presence/",
                view(self.presence_view),
                name="articles_article_presence",
            ),
        ]

    def revisions_view(self, request, object_id):
        article = self._get_article(request, object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return self._page(
            request,
            "admin/articles/article/revisions.html",
            f"修订记录：{article}",
            article=article,
            revisions=revisions.history(article),
            can_revert=self.has_change_permission(request, article),
        )

    def compare_view(self, request, object_id):
        """Any two revisions side by side: ?a=<id>&b=<id>, in either order."""
        article = self._get_article(request, object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        try:
            first, second = int(request.GET["a"]), int(request.GET["b"])
        except (KeyError, ValueError):
            return HttpResponseBadRequest("请选择两个版本来比较。")
        if not (0 < first < 2**63 and 0 < second < 2**63):
            raise Http404("这篇文章没有这个版本。")
        compared = revisions.compare(article, first, second)
        if compared is None:
            raise Http404("这篇文章没有这个版本。")
        older, newer, changes = compared
        return self._page(
            request,
            "admin/articles/article/compare.html",
            f"比较第 {older.version} 版与第 {newer.version} 版：{article}",
            article=article,
            older=older,
            newer=newer,
            changes=changes,
        )

    def revert_view(self, request, object_id, revision_id):
        """Asks first: GET shows what the revert would change, POST (from that page) reverts,
        unless the article was saved again meanwhile."""
        article = self._get_article(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(article.revisions, pk=revision_id)
        stale = False
        if request.method == "POST":
            with transaction.atomic():
                locked_article = Article.objects.select_for_update().get(pk=article.pk)
                stale = request.POST.get("seen_version") != str(locked_article.version)
                if not stale:
                    revisions.revert(locked_article, revision, request.user)
            if not stale:
                self.message_user(request, f"已恢复到第 {revision.version} 版。", messages.SUCCESS)
                return redirect("admin:articles_article_change", article.pk)
            article.refresh_from_db()
        return self._page(
            request,
            "admin/articles/article/revert.html",
            f"恢复到第 {revision.version} 版？",
            article=article,
            revision=revision,
            changes=revisions.diff(revisions.snapshot(article), revision.data),
            stale=stale,
        )

    def autosave_view(self, request, object_id=None):
        """Keep (POST) or throw away (POST discard=1) the user's copy of the form's content."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = None
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
        else:
            article = self._get_article(request, object_id)
            if not self.has_change_permission(request, article):
                raise PermissionDenied
        if request.POST.get("discard"):
            autosave.forget(request.user, article)
            return JsonResponse({"discarded": True})
        try:
            data = autosave.clean(request.POST)
        except autosave.Refused as error:
            return JsonResponse({"error": str(error)}, status=400)
        saved_at = autosave.keep(request.user, article, data)
        return JsonResponse({"saved_at": f"{timezone.localtime(saved_at):%H:%M:%S}"})

    def presence_view(self, request, object_id):
        """A heartbeat from an open form (POST; leave=1 when the page closes): who else is here."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._get_article(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        if request.POST.get("leave"):
            presence.leave(article, request.user)
            return JsonResponse({"others": []})
        return JsonResponse({"others": presence.heartbeat(article, request.user)})

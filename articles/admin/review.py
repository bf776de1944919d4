"""The article admin's review step: submit (also as "保存并提交审核" on the form), withdraw,
send back with a comment, publish. A mixin of ArticleAdmin (articles.admin.articles), which
provides _get_article() and _page(); the rules are articles.editorial.review's."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse

from articles.editorial import review
from articles.models import Article

SUBMIT_BUTTON = "_submit_review"


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="退回意见",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=2000,
        help_text="作者会在文章页上和邮件里看到这段话。",
    )


def queue_url():
    return f"{reverse('admin:articles_article_changelist')}?status__exact={Article.Status.REVIEW}"


class ReviewViews:
    def review_urls(self, view):
        return [
            path("<int:object_id>/submit/", view(self.submit_view), name="articles_article_submit"),
            path(
                "<int:object_id>/withdraw/",
                view(self.withdraw_view),
                name="articles_article_withdraw",
            ),
            path(
                "<int:object_id>/return/",
                view(self.send_back_view),
                name="articles_article_send_back",
            ),
            path(
                "<int:object_id>/publish/",
                view(self.publish_view),
                name="articles_article_publish",
            ),
        ]

    def review_context(self, request, article):
        """What the change form's review panel shows and offers."""
        user = request.user
        return {
            "review_article": article,
            "may_submit": article.may_submit(user),
            "may_withdraw": article.may_withdraw(user),
            "may_review": article.may_review(user),
            "review_queue_url": queue_url() if self.has_publish_permission(request) else "",
        }

    def _admin_link(self, request, article):
        return request.build_absolute_uri(
            reverse("admin:articles_article_change", args=[article.pk])
        )

    def _transition(self, request, object_id, act, done):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._get_article(request, object_id)
        try:
            article = act(article)
        except review.Refused as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, done(article), messages.SUCCESS)
        return redirect("admin:articles_article_change", article.pk)

    def submit_view(self, request, object_id):
        return self._transition(
            request,
            object_id,
            lambda article: review.submit(
                article, request.user, self._admin_link(request, article)
            ),
            lambda article: (
                f"《{article}》已提交审核，编辑会收到通知。审核期间不能修改；需要修改时请先撤回。"
            ),
        )

    def withdraw_view(self, request, object_id):
        return self._transition(
            request,
            object_id,
            lambda article: review.withdraw(article, request.user),
            lambda article: f"《{article}》已撤回审核，又是草稿了，可以继续修改。",
        )

    def publish_view(self, request, object_id):
        return self._transition(
            request,
            object_id,
            lambda article: review.publish(
                article, request.user, request.build_absolute_uri(article.get_absolute_url())
            ),
            lambda article: f"《{article}》已发布，作者会收到通知。",
        )

    def send_back_view(self, request, object_id):
        """GET: the comment form; POST: back to the author with it."""
        if not self.has_publish_permission(request):
            raise PermissionDenied
        article = self._get_article(request, object_id)
        form = ReturnForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                review.send_back(
                    article,
                    request.user,
                    form.cleaned_data["comment"],
                    self._admin_link(request, article),
                )
            except review.Refused as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request, f"《{article}》已退回给作者，作者会收到通知。", messages.SUCCESS
                )
                return redirect(queue_url())
        return self._page(
            request,
            "admin/articles/article/send_back.html",
            f"退回《{article}》",
            article=article,
            form=form,
            allowed=article.may_review(request.user),
        )

    # "保存并提交审核" on the change form: save as usual, then submit

    def response_add(self, request, obj, post_url_continue=None):
        if SUBMIT_BUTTON in request.POST:
            return self.submit_view(request, obj.pk)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if SUBMIT_BUTTON in request.POST:
            return self.submit_view(request, obj.pk)
        return super().response_change(request, obj)

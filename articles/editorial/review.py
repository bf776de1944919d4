"""The review step: an author submits a draft, an editor sends it back with a comment or
publishes it, and the author may take it back while it waits.

Each transition reads the article fresh and locked, checks that it is allowed now (a second
click, or two editors at once, gets a clear refusal), saves it with a revision (so it is in the
history) and, once committed, tells the people concerned by e-mail through Django's mail
settings. A mail that cannot be sent is logged; the transition stands.
"""

import logging

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from articles.editorial.revisions import save_with_revision
from articles.models import Article

logger = logging.getLogger(__name__)


class Refused(Exception):
    """The transition is not allowed to this person, or not in the article's present state."""


def name_of(user):
    return (user.get_full_name() or user.get_username()) if user else "（已删除的账号）"


def editors():
    """Everyone who may publish and can be written to."""
    users = get_user_model().objects.with_perm(
        Article.PUBLISH_PERMISSION, backend="django.contrib.auth.backends.ModelBackend"
    )
    return users.filter(is_active=True).exclude(email="")


def queue():
    """The articles waiting for an editor, oldest submission first."""
    return Article.objects.filter(status=Article.Status.REVIEW).order_by("submitted_at", "pk")


@transaction.atomic
def submit(article, user, link):
    """link: the article's admin page, for the editors' mail."""
    article = _locked(article)
    if not article.may_submit(user):
        raise Refused(_refusal(article, "提交审核"))
    article.submit()
    save_with_revision(article, user, note="提交审核")
    recipients = [editor.email for editor in editors() if editor.pk != user.pk]
    _mail(
        recipients,
        f"待审核：《{article.title}》",
        f"{name_of(user)} 于 {_when(article.submitted_at)} 提交了《{article.title}》，请审核：\n{link}\n",
    )
    return article


@transaction.atomic
def withdraw(article, user):
    article = _locked(article)
    if not article.may_withdraw(user):
        raise Refused(_refusal(article, "撤回审核"))
    article.withdraw()
    save_with_revision(article, user, note="作者撤回审核")
    return article


@transaction.atomic
def send_back(article, user, comment, link):
    """Back to the author as a draft, with the editor's comment. link: the admin page."""
    comment = comment.strip()
    if not comment:
        raise Refused("请写下退回的理由，作者会看到。")
    article = _locked(article)
    if not article.may_review(user):
        raise Refused(_refusal(article, "退回"))
    article.send_back(user, comment)
    save_with_revision(article, user, note="退回修改")
    _mail_author(
        article,
        user,
        f"《{article.title}》被退回修改",
        f"{name_of(user)} 于 {_when(article.returned_at)} 退回了《{article.title}》，意见如下：\n\n"
        f"{comment}\n\n修改后请再次提交审核：\n{link}\n",
    )
    return article


@transaction.atomic
def publish(article, user, link):
    """Public now (the list action and the button on a submitted article). link: the public page."""
    article = _locked(article)
    if not user.has_perm(Article.PUBLISH_PERMISSION):
        raise Refused("只有编辑可以发布文章。")
    article.publish()
    save_with_revision(article, user, note="发布")
    tell_author_published(article, user, link)
    return article


def tell_author_published(article, user, link):
    """The author's mail once article is public or scheduled (also after an editor sets the
    status in the form). link: the public page."""
    if article.is_scheduled:
        subject = f"《{article.title}》已定时发布"
        body = f"{name_of(user)} 把《{article.title}》定在 {_when(article.published_at)} 发布：\n{link}\n"
    else:
        subject = f"《{article.title}》已发布"
        body = f"{name_of(user)} 于 {_when(article.published_at)} 发布了《{article.title}》：\n{link}\n"
    _mail_author(article, user, subject, body)


def _locked(article):
    return Article.objects.select_for_update().get(pk=article.pk)


def _refusal(article, what):
    state = Article.Status(article.status).label
    return f"《{article.title}》现在是“{state}”，您不能{what}。"


def _when(moment):
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _mail_author(article, user, subject, body):
    author = article.author
    if author is not None and author.pk != user.pk and author.email:
        _mail([author.email], subject, body)


def _mail(recipients, subject, body):
    if not recipients:
        return

    def send():
        try:
            send_mail(subject, body, None, recipients)
        except OSError:  # SMTP refused or unreachable: the change is saved all the same
            logger.exception("Mail %r to %s not sent", subject, recipients)

    transaction.on_commit(send)

"""Authors write, editors publish: the roles are enforced by the server, not by hidden buttons.

The matrix tries each action as each person and checks whether it took effect.
"""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.editorial import revisions
from articles.models import Article, ArticleImport, Autosave, EditingPresence, MediaImage
from tests.helpers import CHANGELIST, article_form, picture, run_action, upload

TAG_CHANGELIST = reverse("admin:taggit_tag_changelist")
PERSONAS = ("anonymous", "author", "other_author", "editor", "superuser")
ALLOWED = {
    "view_draft": {"author", "editor", "superuser"},
    "edit": {"author", "editor", "superuser"},
    "publish": {"editor", "superuser"},
    "unpublish": {"editor", "superuser"},
    "revert": {"author", "editor", "superuser"},
    "compare": {"author", "editor", "superuser"},
    "autosave": {"author", "editor", "superuser"},
    "presence": {"author", "editor", "superuser"},
    "merge_tags": {"editor", "superuser"},
    # An import makes a draft owned by whoever imports, so every writer may import.
    "import": {"author", "other_author", "editor", "superuser"},
    # Whoever wrote the draft; an editor publishes someone else's draft directly.
    "submit": {"author"},
    # Only whoever wrote it takes a submitted article back; editors send it back instead.
    "withdraw": {"author"},
    "review": {"editor", "superuser"},
    "return": {"editor", "superuser"},
    "delete_own_draft": {"author", "editor", "superuser"},
    # The media library: every writer uploads pictures and finds them to put in a body.
    "upload_image": {"author", "other_author", "editor", "superuser"},
    "find_image": {"author", "other_author", "editor", "superuser"},
    "use_image": {"author", "editor", "superuser"},  # in a draft one may edit
    "change_own_image": {"author", "other_author", "editor", "superuser"},
    # A picture may be in others' articles: changing or deleting anyone's is an editor's call.
    "change_others_image": {"editor", "superuser"},
    "delete_unused_image": {"editor", "superuser"},
}


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def newsroom(role_user, author, django_user_model):
    return {
        "anonymous": None,
        "author": author,
        "other_author": role_user("other", "作者"),
        "editor": role_user("chief", "编辑"),
        "superuser": django_user_model.objects.create_superuser("root", password=None),
    }


@pytest.fixture
def draft(make_article, author):
    article = make_article(title="初稿标题", status=Article.Status.DRAFT, author=author)
    revisions.record(article, author)
    article.title = "二稿标题"
    article.save()
    revisions.record(article, author)
    return article


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _view_draft(client, draft, **_):
    return client.get(draft.get_absolute_url()).status_code == 200


def _edit(client, draft, **_):
    client.post(change_url(draft), article_form(title="改过的标题", seen_version=draft.version))
    draft.refresh_from_db()
    return draft.title == "改过的标题"


def _publish(client, draft, **_):
    run_action(client, "publish", draft)
    draft.refresh_from_db()
    return draft.is_public


def _unpublish(client, published, **_):
    run_action(client, "unpublish", published)
    published.refresh_from_db()
    return published.status == Article.Status.DRAFT


def _revert(client, draft, **_):
    first = draft.revisions.get(version=1)
    url = reverse("admin:articles_article_revert", args=[draft.pk, first.pk])
    asked = client.get(url)  # the question first; then the answer, forged if need be
    client.post(url, {"seen_version": draft.version})
    draft.refresh_from_db()
    return asked.status_code == 200 and draft.title == "初稿标题"


def _compare(client, draft, **_):
    first, second = draft.revisions.order_by("version")
    url = reverse("admin:articles_article_compare", args=[draft.pk])
    response = client.get(url, {"a": first.pk, "b": second.pk})
    return response.status_code == 200 and "<ins>二</ins>" in response.text


def _autosave(client, draft, **_):
    url = reverse("admin:articles_article_autosave", args=[draft.pk])
    client.post(url, {"body": "自动保存的正文"})
    return Autosave.objects.filter(article=draft).exists()


def _presence(client, draft, **_):
    client.post(reverse("admin:articles_article_presence", args=[draft.pk]))
    return EditingPresence.objects.filter(article=draft).exists()


def _merge_tags(client, make_article, **_):
    make_article(tags=["人工智能"])
    make_article(tags=["AI"])
    keep, drop = Tag.objects.get(name="人工智能"), Tag.objects.get(name="AI")
    run_action(
        client, "merge_tags", keep, drop, changelist=TAG_CHANGELIST, target=keep.pk, confirm="1"
    )
    return not Tag.objects.filter(pk=drop.pk).exists()


def _import(client, **_):
    client.post(
        reverse("admin:articles_article_import"),
        {"text": "杭州与南京的比较\n\n杭州在人工智能领域的招商优势，正在引起南京的反思。"},
    )
    return ArticleImport.objects.exists()


def _submit(client, draft, **_):
    client.post(reverse("admin:articles_article_submit", args=[draft.pk]))
    draft.refresh_from_db()
    return draft.status == Article.Status.REVIEW


def _withdraw(client, submitted, **_):
    client.post(reverse("admin:articles_article_withdraw", args=[submitted.pk]))
    submitted.refresh_from_db()
    return submitted.status == Article.Status.DRAFT


def _review(client, submitted, **_):
    """The queue lists it, and the form to send it back opens."""
    queue = client.get(CHANGELIST, {"status__exact": "review"})
    form = client.get(reverse("admin:articles_article_send_back", args=[submitted.pk]))
    return submitted.title in queue.text and 'name="comment"' in form.text


def _return(client, submitted, **_):
    url = reverse("admin:articles_article_send_back", args=[submitted.pk])
    client.post(url, {"comment": "数据来源请补上。"})
    submitted.refresh_from_db()
    return (
        submitted.status == Article.Status.DRAFT and submitted.review_comment == "数据来源请补上。"
    )


def _delete_own_draft(client, draft, **_):
    client.post(reverse("admin:articles_article_delete", args=[draft.pk]), {"post": "yes"})
    return not Article.objects.filter(pk=draft.pk).exists()


def _upload_image(client, **_):
    client.post(
        reverse("admin:articles_mediaimage_upload"),
        {"file": upload(picture(size=(300, 200))), "alt": "新上传的图"},
    )
    return MediaImage.objects.filter(alt="新上传的图").exists()


def _find_image(client, library_image, **_):
    response = client.get(reverse("admin:articles_mediaimage_pick"), {"q": "图库"})
    if response.status_code != 200:
        return False
    return [image["reference"] for image in response.json()["results"]] == [library_image.reference]


def _use_image(client, draft, library_image, **_):
    body = f"正文。\n\n{library_image.reference}"
    client.post(change_url(draft), article_form(body=body, seen_version=draft.version))
    draft.refresh_from_db()
    return "<figure><img " in draft.body_html


def _change_image(client, image):
    url = reverse("admin:articles_mediaimage_change", args=[image.pk])
    client.post(url, {"alt": "改过的替代文字", "caption": ""})
    image.refresh_from_db()
    return image.alt == "改过的替代文字"


def _change_own_image(client, persona_user, **_):
    return _change_image(client, make_library_image(persona_user))


def _change_others_image(client, library_image, **_):
    return _change_image(client, library_image)


def _delete_unused_image(client, library_image, **_):
    url = reverse("admin:articles_mediaimage_delete", args=[library_image.pk])
    client.post(url, {"post": "yes"})
    return not MediaImage.objects.filter(pk=library_image.pk).exists()


def make_library_image(user, alt="图库里的图"):
    return MediaImage.objects.create(
        file=upload(picture(size=(300, 200)), "图.jpg"), alt=alt, uploaded_by=user
    )


ATTEMPTS = {
    "view_draft": _view_draft,
    "edit": _edit,
    "publish": _publish,
    "unpublish": _unpublish,
    "revert": _revert,
    "compare": _compare,
    "autosave": _autosave,
    "presence": _presence,
    "merge_tags": _merge_tags,
    "import": _import,
    "submit": _submit,
    "withdraw": _withdraw,
    "review": _review,
    "return": _return,
    "delete_own_draft": _delete_own_draft,
    "upload_image": _upload_image,
    "find_image": _find_image,
    "use_image": _use_image,
    "change_own_image": _change_own_image,
    "change_others_image": _change_others_image,
    "delete_unused_image": _delete_unused_image,
}


@pytest.mark.parametrize("action", list(ALLOWED))
@pytest.mark.parametrize("persona", PERSONAS)
def test_role_matrix(persona, action, newsroom, author, draft, make_article, media):
    published = make_article(title="已发布的文章", author=author)
    submitted = make_article(
        title="待审的文章", author=author, status=Article.Status.REVIEW, submitted_at=timezone.now()
    )
    done = ATTEMPTS[action](
        _client(newsroom[persona]),
        draft=draft,
        published=published,
        submitted=submitted,
        make_article=make_article,
        persona_user=newsroom[persona],
        # Uploaded by someone else (the superuser): in the library for all to use.
        library_image=make_library_image(newsroom["superuser"]) if "image" in action else None,
    )
    assert done == (persona in ALLOWED[action])


def test_setup_roles_is_idempotent(db):
    call_command("setup_roles", stdout=StringIO())
    editor = set(Group.objects.get(name="编辑").permissions.values_list("codename", flat=True))
    output = StringIO()
    call_command("setup_roles", stdout=output)
    assert "作者: unchanged" in output.getvalue()
    assert Group.objects.count() == 2
    assert (
        set(Group.objects.get(name="编辑").permissions.values_list("codename", flat=True)) == editor
    )
    assert "publish_article" in editor
    assert "publish_article" not in set(
        Group.objects.get(name="作者").permissions.values_list("codename", flat=True)
    )


def test_setup_roles_restores_a_permission_taken_away(db):
    call_command("setup_roles", stdout=StringIO())
    group = Group.objects.get(name="编辑")
    group.permissions.remove(group.permissions.get(codename="publish_article"))
    call_command("setup_roles", stdout=StringIO())
    assert group.permissions.filter(codename="publish_article").exists()


def test_setup_roles_dry_run_saves_nothing(db):
    output = StringIO()
    call_command("setup_roles", "--dry-run", stdout=output)
    assert "Dry run" in output.getvalue()
    assert not Group.objects.exists()


def test_author_writes_a_draft_of_their_own(author_client, author):
    response = author_client.post(reverse("admin:articles_article_add"), article_form())
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.author == author and article.status == Article.Status.DRAFT


def test_author_forging_status_published_on_a_new_article_gets_a_draft(author_client):
    author_client.post(
        reverse("admin:articles_article_add"),
        article_form(status="published", published_at_0="2025-01-01", published_at_1="08:00"),
    )
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT and article.published_at is None
    assert not Article.objects.published().exists()


def test_author_forging_status_published_on_their_draft_changes_no_status(author_client, draft):
    author_client.post(
        change_url(draft),
        article_form(
            title="二稿标题",
            status="published",
            published_at_0="2025-01-01",
            published_at_1="08:00",
            seen_version=draft.version,
        ),
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and draft.published_at is None


def test_author_sees_no_status_field_and_no_publish_action(author_client, draft):
    page = author_client.get(change_url(draft))
    assert 'name="status"' not in page.text
    assert 'value="publish"' not in author_client.get(CHANGELIST).text


def test_author_running_publish_action_by_hand_changes_nothing(author_client, draft):
    response = run_action(author_client, "publish", draft, follow=True)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_author_cannot_open_or_save_someone_elses_article_by_url(
    author_client, role_user, make_article
):
    theirs = make_article(
        title="别人的稿子", status=Article.Status.DRAFT, author=role_user("other", "作者")
    )
    assert author_client.get(change_url(theirs)).status_code == 302  # "no such article"
    author_client.post(change_url(theirs), article_form(seen_version=theirs.version))
    theirs.refresh_from_db()
    assert theirs.title == "别人的稿子"
    assert "别人的稿子" not in author_client.get(CHANGELIST).text


def test_author_can_read_but_not_change_their_published_article(
    author_client, author, make_article
):
    published = make_article(title="已经发布", author=author)
    assert author_client.get(change_url(published)).status_code == 200
    response = author_client.post(
        change_url(published), article_form(seen_version=published.version)
    )
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.title == "已经发布"


def test_author_cannot_autosave_or_be_present_on_their_published_article(
    author_client, author, make_article
):
    published = make_article(title="已经发布", author=author)
    autosave = reverse("admin:articles_article_autosave", args=[published.pk])
    presence = reverse("admin:articles_article_presence", args=[published.pk])
    assert author_client.post(autosave, {"body": "改不了"}).status_code == 403
    assert author_client.post(presence).status_code == 403
    page = author_client.get(change_url(published)).text
    assert "data-autosave-url" not in page and "data-presence-url" not in page


def test_author_cannot_reach_the_tag_admin(author_client):
    assert author_client.get(TAG_CHANGELIST).status_code == 403


def test_author_linking_mentions_changes_only_their_drafts(
    author_client, author, make_article, nanjing
):
    published = make_article(title="已经发布", body="南京的芯片。", author=author)
    draft = make_article(
        title="草稿", body="南京的芯片。", author=author, status=Article.Status.DRAFT
    )
    run_action(author_client, "link_mentions", published, draft)
    assert not published.cities.exists() and published.revisions.count() == 0
    assert [city.slug for city in draft.cities.all()] == ["nanjing"]

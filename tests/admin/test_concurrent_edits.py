"""No lost edits: a save based on an outdated copy is refused and merged — fields only the
others changed take their values, fields both changed are a choice shown side by side — and
nothing is written that the writer has not seen."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, StaleEdit
from tests.helpers import CHANGELIST, article_form, run_action


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def opened_version(client, article):
    """The version the change form carries when this person opens it."""
    page = client.get(change_url(article)).text
    return int(re.search(r'name="seen_version" value="(\d+)"', page).group(1))


@pytest.fixture
def second_editor(role_user):
    client = Client()
    client.force_login(role_user("second", "编辑"))
    return client


@pytest.fixture
def article(editor_client, editor):
    editor_client.post(
        reverse("admin:articles_article_add"),
        article_form(title="原标题", body="第一段。\n\n第二段。", tags="芯片"),
    )
    return Article.objects.get()


def opened(client, article):
    """The change form as this person opens it now: its values, ready to change and post."""
    version = opened_version(client, article)
    article = Article.objects.get(pk=article.pk)
    when = timezone.localtime(article.published_at) if article.published_at else None
    return article_form(
        title=article.title,
        slug=article.slug,
        summary=article.summary,
        body=article.body,
        tags="，".join(sorted(article.tags.names())),
        cities=[city.pk for city in article.cities.all()],
        organisations=[organisation.pk for organisation in article.organisations.all()],
        status=article.status,
        published_at_0=f"{when:%Y-%m-%d}" if when else "",
        published_at_1=f"{when:%H:%M:%S}" if when else "",
        source=article.source,
        **{"links-TOTAL_FORMS": "0"},
        seen_version=version,
    )


def form_again(response):
    """What the refused form now holds, as the browser would post it back unchanged."""
    form = response.context["adminform"].form
    data = {}
    for key in form.data:
        values = form.data.getlist(key)
        data[key] = values if len(values) > 1 or key in ("cities", "organisations") else values[0]
    return data


def test_second_save_is_refused_and_shows_what_changed_meanwhile(
    editor_client, second_editor, article
):
    mine = opened(editor_client, article)
    theirs = opened(second_editor, article)

    first = editor_client.post(
        change_url(article),
        mine
        | {"title": "第一位编辑的标题", "body": "第一段。\n\n第二段改过。", "tags": "芯片，半导体"},
    )
    assert first.status_code == 302

    second = second_editor.post(
        change_url(article), theirs | {"title": "第二位编辑的标题", "body": "我的新正文。"}
    )
    assert second.status_code == 200
    # Who saved meanwhile, and where the changes are.
    assert "保存失败：您打开这篇文章之后，editor 保存过它（改动见下方）" in second.text
    assert "您没有改动的标签已换成对方保存的内容" in second.text
    assert "标题、正文您和对方都改了：请在下方对照，选择保留哪一版" in second.text
    # What changed meanwhile: the first editor's title, the changed characters, the new tag.
    assert "第一位编辑的标题" in second.text
    assert "<ins>改过</ins>" in second.text
    assert "+ 半导体" in second.text
    # The second editor's own text is still in the form; the tag they left alone is the newer one.
    assert 'value="第二位编辑的标题"' in second.text
    assert "我的新正文。</textarea>" in second.text
    assert 'value="半导体，芯片"' in second.text

    article.refresh_from_db()
    assert article.title == "第一位编辑的标题"
    assert sorted(article.tags.names()) == ["半导体", "芯片"]


def test_a_field_only_the_other_changed_keeps_their_value_after_saving_twice(
    editor_client, second_editor, article
):
    mine = opened(editor_client, article)
    theirs = opened(second_editor, article)  # opened before the first editor saves
    editor_client.post(change_url(article), mine | {"summary": "第一位编辑写的摘要"})

    refused = second_editor.post(change_url(article), theirs | {"body": "第二位编辑的正文。"})
    assert refused.status_code == 200
    article.refresh_from_db()
    assert article.body == "第一段。\n\n第二段。"  # nothing written by the refused save

    again = second_editor.post(change_url(article), form_again(refused))
    assert again.status_code == 302
    article.refresh_from_db()
    assert article.summary == "第一位编辑写的摘要"
    assert article.body == "第二位编辑的正文。"


def test_both_changing_a_field_asks_for_a_choice_and_writes_nothing_unseen(
    editor_client, second_editor, article
):
    mine = opened(editor_client, article)
    theirs = opened(second_editor, article)
    editor_client.post(change_url(article), mine | {"summary": "甲的摘要"})
    refused = second_editor.post(change_url(article), theirs | {"summary": "乙的摘要"})
    # Side by side, with a choice for each.
    assert '<pre class="merge-theirs">甲的摘要</pre>' in refused.text
    assert '<pre class="merge-yours">乙的摘要</pre>' in refused.text
    assert 'name="choose_summary" value="theirs"' in refused.text

    unchosen = second_editor.post(change_url(article), form_again(refused))
    assert unchosen.status_code == 200
    assert "摘要您和对方都改了，请在下方选择保留哪一版" in unchosen.text
    article.refresh_from_db()
    assert article.summary == "甲的摘要"

    chosen = second_editor.post(
        change_url(article), form_again(unchosen) | {"choose_summary": "yours"}
    )
    assert chosen.status_code == 302
    article.refresh_from_db()
    assert article.summary == "乙的摘要"


def test_choosing_theirs_keeps_the_value_shown_not_the_form_field(
    editor_client, second_editor, article
):
    mine = opened(editor_client, article)
    theirs = opened(second_editor, article)
    editor_client.post(change_url(article), mine | {"title": "甲的标题"})
    refused = second_editor.post(change_url(article), theirs | {"title": "乙的标题"})
    chosen = second_editor.post(
        change_url(article), form_again(refused) | {"choose_title": "theirs"}
    )
    assert chosen.status_code == 302
    article.refresh_from_db()
    assert article.title == "甲的标题"


def test_tags_and_cities_merge_like_any_other_field(
    editor_client, second_editor, article, hangzhou, nanjing
):
    mine = opened(editor_client, article)
    theirs = opened(second_editor, article)
    editor_client.post(
        change_url(article), mine | {"tags": "芯片，半导体", "cities": [hangzhou.pk, nanjing.pk]}
    )
    refused = second_editor.post(change_url(article), theirs | {"title": "乙改了标题"})
    assert "您没有改动的标签、城市已换成对方保存的内容" in refused.text
    again = second_editor.post(change_url(article), form_again(refused))
    assert again.status_code == 302
    article.refresh_from_db()
    assert article.title == "乙改了标题"
    assert sorted(article.tags.names()) == ["半导体", "芯片"]
    assert sorted(article.cities.values_list("slug", flat=True)) == ["hangzhou", "nanjing"]


def test_tags_and_cities_both_changed_are_a_choice(
    editor_client, second_editor, article, hangzhou, nanjing
):
    mine = opened(editor_client, article)
    theirs = opened(second_editor, article)
    editor_client.post(
        change_url(article), mine | {"tags": "芯片，半导体", "cities": [hangzhou.pk]}
    )
    refused = second_editor.post(
        change_url(article), theirs | {"tags": "芯片，算力", "cities": [nanjing.pk]}
    )
    assert "标签、城市您和对方都改了" in refused.text
    assert '<pre class="merge-theirs">半导体，芯片</pre>' in refused.text
    assert '<pre class="merge-yours">杭州</pre>' not in refused.text
    assert '<pre class="merge-theirs">杭州</pre>' in refused.text
    assert '<pre class="merge-yours">南京</pre>' in refused.text
    nothing_chosen = second_editor.post(change_url(article), form_again(refused))
    assert nothing_chosen.status_code == 200
    assert sorted(article.tags.names()) == ["半导体", "芯片"]

    chosen = second_editor.post(
        change_url(article),
        form_again(refused) | {"choose_tags": "yours", "choose_cities": "theirs"},
    )
    assert chosen.status_code == 302
    article.refresh_from_db()
    assert sorted(article.tags.names()) == ["算力", "芯片"]
    assert list(article.cities.values_list("slug", flat=True)) == ["hangzhou"]


def test_the_same_change_by_both_is_no_conflict(editor_client, second_editor, article):
    mine = opened(editor_client, article)
    theirs = opened(second_editor, article)
    editor_client.post(change_url(article), mine | {"summary": "同样的摘要"})
    refused = second_editor.post(change_url(article), theirs | {"summary": "同样的摘要"})
    assert "您和对方都改了" not in refused.text
    assert second_editor.post(change_url(article), form_again(refused)).status_code == 302


@pytest.mark.parametrize(
    "forged",
    [
        {"choose_summary": "<script>"},
        {"merge_conflicts": "password,__class__,summary", "choose_summary": "both"},
        {"merge_base": "not-a-number"},
        {"merge_conflicts": "x" * 500},
    ],
)
def test_forged_merge_fields_are_a_form_error_not_a_500(
    editor_client, second_editor, article, forged
):
    mine = opened(editor_client, article)
    theirs = opened(second_editor, article)
    editor_client.post(change_url(article), mine | {"summary": "甲的摘要"})
    refused = second_editor.post(change_url(article), theirs | {"summary": "乙的摘要"})
    response = second_editor.post(change_url(article), form_again(refused) | forged)
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.summary == "甲的摘要"


def test_save_without_a_version_is_refused(editor_client, article):
    response = editor_client.post(change_url(article), article_form(title="没有版本号"))
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.title == "原标题"


def test_publish_action_in_between_makes_an_open_form_stale(editor_client, second_editor, article):
    mine = opened_version(editor_client, article)
    run_action(second_editor, "publish", article)
    response = editor_client.post(
        change_url(article), article_form(title="基于旧版本", seen_version=mine)
    )
    assert "保存失败" in response.text
    article.refresh_from_db()
    assert article.is_public and article.title == "原标题"


@pytest.mark.parametrize("action", ["unpublish", "link_mentions"])
def test_other_actions_in_between_make_an_open_form_stale(
    editor_client, second_editor, article, nanjing, action
):
    Article.objects.filter(pk=article.pk).update(status="published", body="南京的芯片。")
    article.refresh_from_db()
    article.save()  # published, and mentioning 南京: both actions have something to do
    mine = opened_version(editor_client, article)
    run_action(second_editor, action, article)
    response = editor_client.post(
        change_url(article),
        article_form(title="基于旧版本", status="published", seen_version=mine),
    )
    assert "保存失败" in response.text
    article.refresh_from_db()
    assert article.title == "原标题"


def test_action_on_a_stale_selection_keeps_newer_edits(editor_client, second_editor, article):
    assert "原标题" in editor_client.get(CHANGELIST).text  # the list the action is chosen from
    theirs = opened_version(second_editor, article)
    second_editor.post(
        change_url(article),
        article_form(title="更新的标题", body="更新的正文", seen_version=theirs),
    )
    run_action(editor_client, "publish", article)
    article.refresh_from_db()
    assert article.is_public
    assert article.title == "更新的标题" and article.body == "更新的正文"


def test_saving_a_stale_copy_in_code_raises_and_keeps_the_newer_save(article):
    first, second = Article.objects.get(), Article.objects.get()
    first.title = "先保存"
    first.save()
    second.title = "后保存"
    with pytest.raises(StaleEdit):
        second.save()
    article.refresh_from_db()
    assert article.title == "先保存"


@pytest.mark.django_db(transaction=True)
def test_a_save_in_flight_makes_the_publish_action_wait_not_fail(editor_client, make_article):
    """Someone's save is still in its transaction when an editor publishes the article: the
    action waits for it, then publishes the saved text (a 302, not a 500, and nothing lost)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer at a time in, so a save cannot be in flight")
    article = make_article(title="在途", status=Article.Status.DRAFT)
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute(
            "UPDATE articles_article SET title = '别人刚改的标题', version = version + 1 WHERE id = %s",
            [article.pk],
        )
    answers = []

    def publish():
        try:
            answers.append(run_action(editor_client, "publish", article).status_code)
        finally:
            connections.close_all()

    action = threading.Thread(target=publish)
    action.start()
    action.join(timeout=1)
    assert action.is_alive()  # waiting for the other save
    with other.cursor() as cursor:
        cursor.execute("COMMIT")
    other.close()
    action.join(timeout=30)
    assert answers == [302]
    article.refresh_from_db()
    assert (article.title, article.status) == ("别人刚改的标题", Article.Status.PUBLISHED)

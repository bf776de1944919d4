"""Tag care: suggestions while typing, published counts, rename, merge with permanent
redirects, and aliases that resolve to their tag."""

import pytest
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Subscription, TagAlias
from tests.helpers import article_form, run_action, run_worker

SUGGEST = reverse("admin:articles_article_tag_suggestions")
TAGS = reverse("admin:taggit_tag_changelist")


def tag_url(slug):
    return reverse("articles:tag-detail", args=[slug])


def suggestions(client, typed):
    return client.get(SUGGEST, {"q": typed}).json()["results"]


@pytest.fixture
def tagged(make_article):
    make_article(tags=["人工智能", "DeepSeek"])
    make_article(tags=["人工智能", "台湾"])
    make_article(tags=["大模型"])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("智能", ["人工智能"]),
        ("deep", ["DeepSeek"]),
        ("DEEPSEEK", ["DeepSeek"]),
        ("ｄｅｅｐ", ["DeepSeek"]),
        ("臺灣", ["台湾"]),
        ("人", ["人工智能"]),
        ("无此标签", []),
    ],
)
def test_tag_suggestions_match_chinese_and_latin_ignoring_case(
    editor_client, tagged, typed, expected
):
    assert suggestions(editor_client, typed) == expected


def test_tag_suggestions_find_a_tag_by_its_alias(editor_client, tagged):
    TagAlias.objects.create(name="LLM", tag=Tag.objects.get(name="大模型"))
    assert suggestions(editor_client, "llm") == ["大模型"]


def test_tag_suggestions_are_for_staff_who_write(tagged, django_user_model):
    assert Client().get(SUGGEST, {"q": "人"}).status_code == 302
    client = Client()
    client.force_login(django_user_model.objects.create_user("visitor", is_staff=True))
    assert client.get(SUGGEST, {"q": "人"}).status_code == 403


def test_article_form_offers_tag_suggestions(editor_client):
    page = editor_client.get(reverse("admin:articles_article_add")).text
    assert f'data-tags-url="{SUGGEST}"' in page


def test_tag_admin_counts_only_published_articles(editor_client, make_article):
    make_article(tags=["芯片"])
    make_article(tags=["芯片"])
    make_article(tags=["芯片"], status=Article.Status.DRAFT)
    chip = editor_client.get(TAGS).context["cl"].result_list.get(name="芯片")
    assert chip.num_published == 2


def test_renaming_a_tag_moves_its_address_permanently(editor_client, make_article, client):
    make_article(tags=["AI"])
    tag = Tag.objects.get(name="AI")
    response = editor_client.post(
        reverse("admin:taggit_tag_change", args=[tag.pk]), tag_form(name="人工智能")
    )
    assert response.status_code == 302
    tag.refresh_from_db()
    assert (tag.name, tag.slug) == ("人工智能", "人工智能")
    old = client.get(tag_url("ai"))
    assert old.status_code == 301 and old["Location"] == tag_url("人工智能")
    assert client.get(tag_url("人工智能")).status_code == 200


def test_renaming_onto_an_existing_tag_is_refused_with_a_hint_to_merge(editor_client, make_article):
    make_article(tags=["AI", "人工智能"])
    tag = Tag.objects.get(name="AI")
    response = editor_client.post(
        reverse("admin:taggit_tag_change", args=[tag.pk]), tag_form(name="人工智能")
    )
    assert "已有标签“人工智能”" in response.text and "合并" in response.text
    assert Tag.objects.filter(name="AI").exists()


def tag_form(name, aliases=()):
    data = {
        "name": name,
        "aliases-TOTAL_FORMS": str(len(aliases)),
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    for n, alias in enumerate(aliases):
        data[f"aliases-{n}-name"] = alias
    return data


def merge(client, keep, *drop):
    """Merge in the admin, then let the re-indexing task it enqueues run."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return run_action(
            client, "merge_tags", keep, *drop, changelist=TAGS, target=keep.pk, confirm="1"
        )


@pytest.fixture
def split_tags(make_article):
    both = make_article(title="两个标签都有", tags=["人工智能", "AI"])
    only_ai = make_article(title="只有 AI", tags=["AI"])
    return both, only_ai


def test_merge_asks_which_tag_to_keep(editor_client, split_tags):
    ai, keep = Tag.objects.get(name="AI"), Tag.objects.get(name="人工智能")
    page = run_action(editor_client, "merge_tags", ai, keep, changelist=TAGS)
    assert page.status_code == 200
    assert "选择保留的标签" in page.text and "人工智能（1 篇已发布）" in page.text
    assert Tag.objects.count() == 2


def test_merged_tags_articles_carry_the_kept_tag_once(editor_client, split_tags):
    both, only_ai = split_tags
    merge(editor_client, Tag.objects.get(name="人工智能"), Tag.objects.get(name="AI"))
    assert list(Tag.objects.values_list("name", flat=True)) == ["人工智能"]
    assert list(both.tags.names()) == ["人工智能"]
    assert list(only_ai.tags.names()) == ["人工智能"]
    assert [r.note for r in only_ai.revisions.all()] == ["标签合并为“人工智能”"]


def test_merged_tags_old_address_redirects_permanently(editor_client, split_tags, client):
    merge(editor_client, Tag.objects.get(name="人工智能"), Tag.objects.get(name="AI"))
    response = client.get(tag_url("ai"))
    assert response.status_code == 301
    assert response["Location"] == tag_url("人工智能")
    assert "只有 AI" in client.get(tag_url("ai"), follow=True).text


def test_redirects_follow_a_second_merge(editor_client, make_article, client):
    make_article(tags=["AI", "人工智能", "智能"])
    merge(editor_client, Tag.objects.get(name="人工智能"), Tag.objects.get(name="AI"))
    merge(editor_client, Tag.objects.get(name="智能"), Tag.objects.get(name="人工智能"))
    assert client.get(tag_url("ai"))["Location"] == tag_url("智能")
    assert client.get(tag_url("人工智能"))["Location"] == tag_url("智能")


def test_unknown_tag_is_still_not_found(db, client):
    assert client.get(tag_url("从没有过")).status_code == 404


@pytest.mark.parametrize("typed", ["AI", "ai", "ＡＩ"])
def test_merged_away_name_becomes_an_alias_for_new_articles(editor_client, split_tags, typed):
    merge(editor_client, Tag.objects.get(name="人工智能"), Tag.objects.get(name="AI"))
    editor_client.post(
        reverse("admin:articles_article_add"), article_form(title="新文章", tags=f"{typed}，芯片")
    )
    assert sorted(Article.objects.get(title="新文章").tags.names()) == ["人工智能", "芯片"]
    assert not Tag.objects.filter(name__iexact="ai").exists()


def test_alias_added_in_the_tag_admin_resolves_in_the_article_form(editor_client, make_article):
    make_article(tags=["大模型"])
    tag = Tag.objects.get(name="大模型")
    response = editor_client.post(
        reverse("admin:taggit_tag_change", args=[tag.pk]), tag_form("大模型", aliases=["LLM"])
    )
    assert response.status_code == 302
    editor_client.post(
        reverse("admin:articles_article_add"), article_form(title="新文章", tags="llm")
    )
    assert list(Article.objects.get(title="新文章").tags.names()) == ["大模型"]


def test_alias_that_is_already_a_tag_is_refused(editor_client, make_article):
    make_article(tags=["大模型", "LLM"])
    tag = Tag.objects.get(name="大模型")
    response = editor_client.post(
        reverse("admin:taggit_tag_change", args=[tag.pk]), tag_form("大模型", aliases=["llm"])
    )
    assert response.status_code == 200
    assert "已有名为“llm”的标签" in response.text
    assert not TagAlias.objects.exists()


@pytest.mark.parametrize("count", [3, 30])
def test_tag_admin_query_count_does_not_grow_with_tags(
    editor_client, make_article, count, django_assert_max_num_queries
):
    for n in range(count):
        make_article(tags=[f"标签{n}", "共同"])
        TagAlias.objects.create(name=f"别名{n}", tag=Tag.objects.get(name=f"标签{n}"))
    with django_assert_max_num_queries(10):
        response = editor_client.get(TAGS)
    assert len(response.context["cl"].result_list) == count + 1


def test_readers_subscribed_to_a_merged_tag_follow_the_kept_one(editor_client, split_tags):
    keep, drop = Tag.objects.get(name="人工智能"), Tag.objects.get(name="AI")
    confirmed = {"confirmed_at": timezone.now(), "sent_until": timezone.now()}
    Subscription.objects.create(email="one@example.cn", tag=drop, **confirmed)
    Subscription.objects.create(email="both@example.cn", tag=drop, **confirmed)
    Subscription.objects.create(email="both@example.cn", tag=keep, **confirmed)
    merge(editor_client, keep, drop)
    assert sorted(Subscription.objects.values_list("email", "tag__name", "scope")) == [
        ("both@example.cn", "人工智能", f"tag:{keep.pk}"),
        ("one@example.cn", "人工智能", f"tag:{keep.pk}"),
    ]


def searched(query):
    page = Client().get(reverse("articles:article-list"), {"q": query})
    return sorted(article.title for article in page.context["page_obj"])


def test_a_merge_answers_at_once_and_the_worker_reindexes_its_articles(
    editor_client, split_tags, worker_backend
):
    _, only_ai = split_tags
    merge(editor_client, Tag.objects.get(name="人工智能"), Tag.objects.get(name="AI"))
    assert list(only_ai.tags.names()) == ["人工智能"]  # the tags moved in the request
    assert searched("人工智能") == ["两个标签都有"]  # the index waits for the worker
    assert not only_ai.revisions.exists()
    run_worker()
    assert searched("人工智能") == ["两个标签都有", "只有 AI"]
    assert [r.note for r in only_ai.revisions.all()] == ["标签合并为“人工智能”"]
    only_ai.refresh_from_db()
    assert only_ai.version == 2  # a form opened before the merge is refused, as after any edit

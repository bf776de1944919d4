"""Mentions of cities and organisations: found on save, suggested in the admin, and the first
mention of each linked on the public page."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, BackgroundTask, Organisation
from tests.helpers import run_action, run_worker


@pytest.fixture
def organisations(hangzhou, nanjing):
    return {
        "deepseek": Organisation.objects.create(
            name="DeepSeek", slug="deepseek", city=hangzhou, aliases="深度求索"
        ),
        "unitree": Organisation.objects.create(
            name="宇树科技",
            name_en="Unitree Robotics",
            slug="unitree",
            city=hangzhou,
            aliases="Unitree、宇树",
        ),
        "nju": Organisation.objects.create(
            name="南京大学", slug="nanjing-university", city=nanjing, kind="university"
        ),
    }


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def links(article):
    """(href, text) of each mention link in the rendered body."""
    return re.findall(r'<a href="([^"]+)" class="mention[^"]*">([^<]+)</a>', article.body_html)


def test_first_mention_of_each_city_and_organisation_links_to_its_profile(
    make_article, organisations
):
    article = make_article(body="杭州有DeepSeek，南京有什么？杭州和DeepSeek再说一次。")
    assert links(article) == [
        ("/cities/hangzhou/", "杭州"),
        ("/organisations/deepseek/", "DeepSeek"),
        ("/cities/nanjing/", "南京"),
    ]


def test_aliases_and_other_spellings_are_found(make_article, organisations):
    article = make_article(body="深度求索与Ｕｎｉｔｒｅｅ都在杭州市。")
    assert links(article) == [
        ("/organisations/deepseek/", "深度求索"),
        ("/organisations/unitree/", "Ｕｎｉｔｒｅｅ"),
        ("/cities/hangzhou/", "杭州市"),
    ]


def test_traditional_characters_are_found(make_article, organisations):
    article = make_article(body="南京與杭州")
    assert ("/cities/hangzhou/", "杭州") in links(article)


def test_a_city_name_inside_a_longer_word_is_not_linked(make_article, organisations):
    article = make_article(body="上海的南京路步行街很热闹，去杭州湾看看。")
    assert links(article) == []
    assert article.mentions == {}


def test_the_longest_name_wins_over_a_city_inside_it(make_article, organisations):
    article = make_article(body="南京大学在南京。")
    assert links(article) == [
        ("/organisations/nanjing-university/", "南京大学"),
        ("/cities/nanjing/", "南京"),
    ]


def test_a_latin_name_inside_a_longer_word_is_not_linked(make_article, organisations):
    assert links(make_article(body="DeepSeekV3 不是 DeepSeek 的别名。")) == [
        ("/organisations/deepseek/", "DeepSeek")
    ]


def test_existing_links_and_code_are_left_alone(make_article, organisations):
    article = make_article(
        body="[杭州的报道](https://example.com/hz) 和 `南京` 之后，再说杭州与南京。"
    )
    assert '<a href="https://example.com/hz" rel="noopener noreferrer nofollow">杭州的报道</a>' in (
        article.body_html
    )
    assert "<code>南京</code>" in article.body_html
    assert links(article) == [("/cities/hangzhou/", "杭州"), ("/cities/nanjing/", "南京")]


def test_text_around_a_link_stays_escaped(make_article, organisations):
    article = make_article(body="杭州 <script>alert(1)</script> & 南京")
    assert "<script>" not in article.body_html
    assert "&lt;script&gt;" in article.body_html and "&amp;" in article.body_html


def test_links_are_stored_on_save_and_shown_on_the_public_page(client, make_article, organisations):
    article = make_article(body="宇树科技在杭州。")
    html = client.get(article.get_absolute_url()).text
    assert (
        '<a href="/organisations/unitree/" class="mention mention-organisation">宇树科技</a>'
        in html
    )


def test_title_and_summary_mentions_are_suggested_not_linked(make_article, organisations):
    article = make_article(title="DeepSeek之后", summary="再看南京", body="正文没有提到。")
    assert links(article) == []
    assert list(article.suggested_organisations()) == [organisations["deepseek"]]
    assert [city.name for city in article.suggested_cities()] == ["南京"]


def test_relinking_finds_organisations_added_after_the_article(make_article, hangzhou):
    article = make_article(body="之江实验室位于杭州。")
    Organisation.objects.create(name="之江实验室", slug="zhijiang-lab", kind="lab")
    assert "1 articles re-linked" in run("link_mentions")
    article.refresh_from_db()
    assert ("/organisations/zhijiang-lab/", "之江实验室") in links(article)


# In the admin


def test_admin_shows_suggestions_and_the_editor_accepts_them(
    editor_client, make_article, organisations, hangzhou
):
    article = make_article(body="杭州有DeepSeek，南京大学在南京。", cities=[hangzhou])
    url = reverse("admin:articles_article_change", args=[article.pk])
    html = editor_client.get(url).text
    assert "文中提到、尚未关联" in html
    suggestion = re.search(r"文中提到、尚未关联.*?<div class=\"readonly\">(.*?)</div>", html, re.S)
    assert suggestion.group(1) == "南京、DeepSeek、南京大学"
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "tags": "",
        "cities": [hangzhou.pk],
        "status": article.status,
        "published_at_0": article.published_at.strftime("%Y-%m-%d"),
        "published_at_1": article.published_at.strftime("%H:%M:%S"),
        "accept_mentions": "on",
        "seen_version": article.version,
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.text
    article = Article.objects.get(pk=article.pk)
    assert {c.name for c in article.cities.all()} == {"杭州", "南京"}
    assert {o.name for o in article.organisations.all()} == {"DeepSeek", "南京大学"}
    assert list(article.suggested_cities()) == []


def test_admin_action_links_mentions_of_selected_articles(
    editor_client, make_article, organisations
):
    article = make_article(body="宇树科技在杭州。")
    run_action(editor_client, "link_mentions", article)
    assert [o.slug for o in article.organisations.all()] == ["unitree"]
    assert [c.slug for c in article.cities.all()] == ["hangzhou"]


def test_accepting_skips_a_mentioned_organisation_deleted_since(make_article, organisations):
    article = make_article(body="宇树科技和DeepSeek都在杭州。")
    organisations["unitree"].delete()
    article.accept_mentions()
    assert [o.slug for o in article.organisations.all()] == ["deepseek"]


def test_relinking_reads_the_names_once_whatever_the_number_of_articles(
    make_article, hangzhou, django_assert_max_num_queries
):
    for n in range(30):
        make_article(title=f"文章 {n}", body="杭州的新闻。")
    Organisation.objects.create(name="之江实验室", slug="zhijiang-lab", kind="lab")
    # names (2), the articles (1), savepoints; no article changes, so no update
    with django_assert_max_num_queries(5):
        assert "0 articles re-linked" in run("link_mentions")


def test_an_organisation_added_later_is_linked_in_older_articles_by_a_task(
    make_article, hangzhou, django_capture_on_commit_callbacks
):
    article = make_article(body="之江实验室位于杭州。")
    with django_capture_on_commit_callbacks(execute=True):
        Organisation.objects.create(name="之江实验室", slug="zhijiang-lab", kind="lab")
    article.refresh_from_db()
    assert ("/organisations/zhijiang-lab/", "之江实验室") in links(article)


def test_a_renamed_city_is_linked_by_its_new_name(
    make_article, make_city, django_capture_on_commit_callbacks
):
    city = make_city("新城", "xincheng")
    article = make_article(body="滨江区的新闻。")
    city.name = "滨江区"
    with django_capture_on_commit_callbacks(execute=True):
        city.save()
    article.refresh_from_db()
    assert ("/cities/xincheng/", "滨江区") in links(article)


def test_saving_an_organisation_under_the_same_names_relinks_nothing(
    organisations, worker_backend, django_capture_on_commit_callbacks
):
    deepseek = organisations["deepseek"]
    deepseek.kind = "lab"
    with django_capture_on_commit_callbacks(execute=True):
        deepseek.save()
    assert not BackgroundTask.objects.exists()


def test_many_organisations_added_in_a_row_wait_for_one_relinking(
    hangzhou, worker_backend, django_capture_on_commit_callbacks
):
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            Organisation.objects.create(name=f"实验室{n}", slug=f"lab-{n}", kind="lab")
    assert BackgroundTask.objects.count() == 1
    run_worker()
    with django_capture_on_commit_callbacks(execute=True):
        Organisation.objects.create(name="新实验室", slug="lab-new", kind="lab")
    assert BackgroundTask.objects.filter(status="READY").count() == 1  # the first one has run

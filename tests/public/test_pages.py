"""Each public page, as a reader sees it."""

import random

import pytest
from django.urls import reverse


@pytest.fixture
def site(make_article, hangzhou, nanjing):
    older = make_article(
        title="南京的高校与科研",
        summary="南京科教资源丰富。",
        body="## 高校\n\n南京有众多高校。",
        tags=["人工智能", "高校"],
        cities=[nanjing],
    )
    newer = make_article(
        title="杭州与南京的 GDP 差距",
        summary="2024 年两市相差约 3,359 亿元。",
        body="## 数字\n\n杭州 21,860 亿元，南京 18,500.81 亿元。",
        tags=["人工智能", "城市竞争"],
        cities=[hangzhou, nanjing],
        source="本刊编辑部 · 城市观察",
    )
    unrelated = make_article(title="无关的一篇", tags=["港口"])
    # make_article spaces articles a minute apart, newest first created: order them explicitly.
    older.published_at = newer.published_at.replace(year=newer.published_at.year - 1)
    older.save()
    unrelated.published_at = older.published_at.replace(year=older.published_at.year - 1)
    unrelated.save()
    return {"older": older, "newer": newer, "unrelated": unrelated}


def test_home_shows_latest_articles_tags_and_cities(client, site):
    response = client.get(reverse("articles:home"))
    assert response.status_code == 200
    html = response.text
    assert '<html lang="zh-CN">' in html
    assert html.index("杭州与南京的 GDP 差距") < html.index("南京的高校与科研")
    assert '人工智能<span class="count">2</span>' in html
    assert "21,860 亿元" in html  # Hangzhou's latest GDP, grouped
    assert "957.7 万人" in html


def test_home_lists_the_cities_most_written_about_and_links_to_all(client, make_city, make_article):
    cities = [make_city(f"城市{n:02d}", f"city-{n:02d}") for n in range(15)]
    for city in cities[13:]:  # the last two, by slug, are written about
        make_article(cities=[city])
    make_article(cities=[cities[14]])
    response = client.get(reverse("articles:home"))
    shown = [city.slug for city in response.context["cities"]]
    assert shown[:2] == ["city-14", "city-13"] and len(shown) == 12
    assert 'href="/cities/">全部城市' in response.text


def test_article_page_shows_body_tags_cities_and_figures(client, site):
    response = client.get(site["newer"].get_absolute_url())
    html = response.text
    assert "<h1>杭州与南京的 GDP 差距</h1>" in html
    assert "<h2>数字</h2>" in html
    assert "本刊编辑部 · 城市观察" in html
    assert reverse("articles:tag-detail", args=["城市竞争"]) in html
    assert "18,500.81 亿元" in html and "（2024）" in html


def test_article_page_lists_related_articles_by_shared_tags_and_cities(client, site):
    response = client.get(site["newer"].get_absolute_url())
    assert list(response.context["related"]) == [site["older"]]


def test_article_page_links_previous_and_next(client, site):
    response = client.get(site["older"].get_absolute_url())
    assert response.context["previous"] == site["unrelated"]
    assert response.context["next"] == site["newer"]
    newest = client.get(site["newer"].get_absolute_url())
    assert newest.context["next"] is None


def test_unknown_article_is_a_friendly_404(client, db):
    response = client.get(reverse("articles:article-detail", args=["no-such-article"]))
    assert response.status_code == 404
    assert "找不到这个页面" in response.text


def test_tag_list_counts_published_articles(client, site):
    response = client.get(reverse("articles:tag-list"))
    counts = {tag.name: tag.num_articles for tag in response.context["tags"]}
    assert counts == {"人工智能": 2, "高校": 1, "城市竞争": 1, "港口": 1}


def test_tag_page_lists_its_articles_cities_and_neighbour_tags(client, site):
    response = client.get(reverse("articles:tag-detail", args=["人工智能"]))
    assert response.status_code == 200
    assert [a.title for a in response.context["page_obj"]] == [
        "杭州与南京的 GDP 差距",
        "南京的高校与科研",
    ]
    assert {t.name for t in response.context["related_tags"]} == {"高校", "城市竞争"}


def test_tag_page_shows_cities_with_that_key_industry(client, site):
    response = client.get(reverse("articles:tag-detail", args=["数字经济"]))
    assert response.status_code == 200
    assert [city.name for city in response.context["cities"]] == ["杭州"]


def test_city_list_is_a_table_of_latest_figures(client, site, make_city):
    make_city("宁波", "ningbo", figures=[(2024, None, "978")])
    response = client.get(reverse("articles:city-list"))
    html = response.text
    assert '<th scope="row"><a href="/cities/hangzhou/">杭州</a></th>' in html
    assert "21,860" in html
    rows = {city.name: city.num_articles for city, _cells in response.context["rows"]}
    assert rows == {"杭州": 1, "南京": 2, "宁波": 0}
    ningbo = html[html.index("宁波") :]
    assert ningbo.index("—") < ningbo.index("978")  # the missing GDP is a dash, never 0


def test_city_page_shows_profile_figures_with_sources_and_articles(client, site):
    response = client.get(reverse("articles:city-detail", args=["hangzhou"]))
    html = response.text
    assert '<tr id="figures-2024">' in html
    assert "https://example.com/bulletin" in html
    assert [a.title for a in response.context["page_obj"]] == ["杭州与南京的 GDP 差距"]


def test_pages_are_readable_on_a_phone(client, site):
    html = client.get(reverse("articles:home")).text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_city_figure_source_with_a_note_links_only_the_address(client, make_city):
    from articles.models import CityFigures

    city = make_city("南京", "nanjing")
    CityFigures.objects.create(
        city=city,
        year=2023,
        gdp=17421.4,
        gdp_source="https://tjgb.example.com/46614.html（统计公报转载）",
        population_source="二手转录，尚未与统计公报核对",
    )
    html = client.get(city.get_absolute_url()).text
    assert 'href="https://tjgb.example.com/46614.html"' in html
    assert "（统计公报转载）" in html
    assert "人口：二手转录，尚未与统计公报核对" in html


def test_tag_and_city_pages_accept_page_last_like_the_article_list(client, make_article, hangzhou):
    for n in range(21):
        make_article(title=f"第 {n} 篇", tags=["芯片"], cities=[hangzhou])
    for url in (
        reverse("articles:tag-detail", args=["芯片"]),
        reverse("articles:city-detail", args=["hangzhou"]),
        reverse("articles:article-list"),
    ):
        response = client.get(url, {"page": "last"})
        assert response.status_code == 200
        assert len(response.context["page_obj"]) == 1


def test_related_articles_are_those_sharing_most_tags_and_cities_newest_first(
    client, make_article, hangzhou, nanjing
):
    """Against a count done here: 40 articles with random tags and cities, some drafts; each
    page's related list is the five others sharing most tags and cities, newest first among
    equals, never a draft."""
    rng = random.Random(5)
    names, cities = ["港口", "芯片", "高校", "文旅", "物流", "金融"], [hangzhou, nanjing]
    articles = []
    for n in range(40):
        status = "draft" if n % 7 == 3 else "published"
        tags, about = rng.sample(names, rng.randint(0, 3)), rng.sample(cities, rng.randint(0, 2))
        articles.append((make_article(tags=tags, cities=about, status=status), set(tags), about))
    public = [row for row in articles if row[0].status == "published"]
    for article, tags, about in public[::4]:
        ranked = sorted(
            (
                len(tags & other_tags) + len(set(about) & set(other_about)),
                other.published_at,
                other.pk,
                other.title,
            )
            for other, other_tags, other_about in public
            if other.pk != article.pk
        )
        expected = [title for shared, *_, title in reversed(ranked) if shared][:5]
        response = client.get(article.get_absolute_url())
        assert [other.title for other in response.context["related"]] == expected

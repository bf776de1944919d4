from django.urls import reverse

from articles.models import Article


def test_slug_is_pinyin_of_a_chinese_title(make_article):
    article = make_article(title="杭州有DeepSeek，南京有什么？")
    assert article.slug == "hangzhou-you-deepseek-nanjing-you-shenme"


def test_slug_reads_regions_correctly(make_article):
    assert make_article(title="长三角城市经济").slug == "changsanjiao-chengshi-jingji"


def test_colliding_titles_get_numbered_slugs(make_article):
    slugs = [make_article(title="南京为什么没有“六小龙”？").slug for _ in range(3)]
    assert slugs == [
        "nanjing-weishenme-meiyou-liu-xiaolong",
        "nanjing-weishenme-meiyou-liu-xiaolong-2",
        "nanjing-weishenme-meiyou-liu-xiaolong-3",
    ]


def test_editing_the_title_keeps_the_slug(make_article):
    article = make_article(title="合肥的产业投资")
    slug = article.slug
    article.title = "合肥：从产业投资到新能源汽车"
    article.save()
    assert article.slug == slug


def test_a_chinese_slug_survives_url_reversing(client, make_article):
    article = make_article(title="测试", slug="城市-观察")
    url = article.get_absolute_url()
    assert url == reverse("articles:article-detail", args=["城市-观察"])
    assert client.get(url).status_code == 200


def test_title_with_no_letters_still_gets_a_slug(make_article):
    assert make_article(title="？！……").slug


def test_markdown_is_rendered_and_sanitised_on_save(make_article):
    article = make_article(
        body="## 小标题\n\n<script>alert(1)</script>\n\n[点我](javascript:alert(1)) [原文](https://example.com)"
    )
    assert "<h2>小标题</h2>" in article.body_html
    assert "<script>" not in article.body_html
    assert 'href="javascript' not in article.body_html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">原文</a>' in (
        article.body_html
    )


def test_publishing_without_a_date_stamps_now(make_article):
    article = make_article(status=Article.Status.DRAFT)
    assert article.published_at is None
    article.publish()
    article.save()
    assert article.published_at is not None
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_unpublishing_hides_the_article(make_article):
    article = make_article()
    article.unpublish()
    article.save()
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_city_slug_defaults_to_pinyin(db):
    from articles.models import City

    assert City.objects.create(name="重庆").slug == "chongqing"
    assert City.objects.create(name="长沙").slug == "changsha"


def test_city_latest_figures_skip_years_without_a_figure(make_city):
    city = make_city("宁波", "ningbo", figures=[(2023, "16452.8", None), (2024, None, "978")])
    city = type(city).objects.with_figures().get(pk=city.pk)
    assert (city.latest_gdp.year, str(city.latest_gdp.gdp)) == (2023, "16452.80")
    assert (city.latest_population.year, str(city.latest_population.population)) == (2024, "978.00")

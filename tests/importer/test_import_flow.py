"""Through the admin, as the real roles: an import gives a draft that saves at once, a body
even from one paragraph, a report page readable under the CSP, and ranked suggestions of
which only the strong start ticked."""

import re
from pathlib import Path

import pytest
from django import forms
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, City, OriginalLink

SAMPLE = (Path(__file__).parent / "samples" / "sample_wechat.txt").read_text(encoding="utf-8")
IMPORT = reverse("admin:articles_article_import")
# One paragraph of 720 characters, no line break, as pasted from a page without its title.
ONE_PARAGRAPH = (
    "杭州的數(shù)字經(jīng)濟(jì)近年增長很快,"
    + "城市把人工智能和機器人列為重點產業,吸引了大量年輕人和創業公司。" * 22
)


def change_form_as_posted(client, article):
    """The change form's fields as the browser would post them, nothing typed."""
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue  # no file chosen, as a browser sends it
        value = form[name].value()
        if value is None or field.disabled:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif name == "published_at":
            continue
        else:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
    return data


def imported(client, text):
    response = client.post(IMPORT, {"text": text})
    assert response.status_code == 302, response.content.decode()[:500]
    return Article.objects.latest("pk")


@pytest.mark.parametrize("who", ["author_client", "editor_client"])
def test_draft_from_an_import_saves_at_once(request, who, hangzhou, nanjing):
    client = request.getfixturevalue(who)
    article = imported(client, SAMPLE)
    assert not OriginalLink.objects.filter(article=article, url="").exists()
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        change_form_as_posted(client, article),
    )
    assert response.status_code == 302, re.findall(
        r'class="errorlist[^>]*>(.*?)</ul>', response.content.decode()
    )
    article.refresh_from_db()
    assert article.version == 2
    assert article.status == Article.Status.DRAFT
    assert "> 原文：产业结构的差异" in article.body  # the reference, kept in the text


def test_one_paragraph_gives_a_body_and_the_report_asks_for_a_title(editor_client):
    article = imported(editor_client, ONE_PARAGRAPH)
    assert len(article.body) >= 700
    assert article.body.startswith("杭州的数字经济近年增长很快，")
    assert "\n" not in article.body  # one paragraph in, one out
    assert len(article.title) <= 30
    response = editor_client.get(reverse("admin:articles_article_import_result", args=[article.pk]))
    assertContains(response, "原文没有像标题的一行")


def test_title_line_with_ascii_punctuation_keeps_the_paragraph_after_it(editor_client):
    article = imported(
        editor_client,
        "杭州有DeepSeek,南京有什么?\r\n\r\n文章開(kāi)篇就關(guān)注了兩座城市在GDP方面的差距.",
    )
    assert article.title == "杭州有DeepSeek，南京有什么？"
    assert article.body == "文章开篇就关注了两座城市在GDP方面的差距。"


def test_report_page_has_no_inline_style_and_shows_the_bytes_read_again(editor_client):
    article = imported(editor_client, SAMPLE)
    response = editor_client.get(reverse("admin:articles_article_import_result", args=[article.pk]))
    html = response.content.decode()
    assert not re.search(r"\sstyle=", html)
    assertContains(response, 'class="import-raw"')
    assertContains(response, "/static/articles/import.")
    # 水平?jīng)Q定了: 決 read again from the bytes bd 9b 51.
    assertContains(response, "bd 9b 51")
    # The stylesheet the page names wraps the raw text.
    css = Path(__file__).resolve().parents[2] / "articles" / "static" / "articles" / "import.css"
    assert "pre-wrap" in css.read_text()


def test_only_strong_suggestions_start_ticked(editor_client, hangzhou, nanjing, make_city):
    make_city("上海", "shanghai", name_en="Shanghai")
    text = SAMPLE + "\n上海也有一家新華三的研發中心."
    article = imported(editor_client, text)
    record = article.import_record
    assert "hangzhou" in record.suggested_cities
    # Cities are offered as cities, never also as tags.
    assert not {"杭州", "南京", "上海"} & set(record.suggested_tags)
    response = editor_client.get(reverse("admin:articles_article_import_result", args=[article.pk]))
    html = response.content.decode()
    ticked = set(
        re.findall(r'<input type="checkbox" name="tags" value="([^"]+)"[^>]*checked', html)
    )
    offered = set(re.findall(r'<input type="checkbox" name="tags" value="([^"]+)"', html))
    assert ticked < offered  # some, not all
    for name in offered:
        mentions = SAMPLE.count(name)
        if name in ticked:
            assert mentions >= 2, name
    cities_ticked = re.findall(
        r'<input type="checkbox" name="cities" value="(\d+)"[^>]*checked', html
    )
    names = {City.objects.get(pk=pk).name for pk in cities_ticked}
    assert "杭州" in names and "上海" not in names  # 上海: one passing mention
    assertNotContains(response, "勾选要采纳的")

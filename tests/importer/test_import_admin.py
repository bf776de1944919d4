"""The admin's "导入文章" page: paste or upload, get a draft, a report, and suggestions to
accept or drop."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.importer import MAX_IMPORT_BYTES
from articles.models import Article, ArticleImport, City, OriginalLink

# As a browser posts a textarea: CRLF line ends (the final line end is the form encoding's).
SAMPLE = (
    (Path(__file__).parent / "samples" / "sample_wechat.txt")
    .read_text(encoding="utf-8")
    .rstrip("\n")
    .replace("\n", "\r\n")
)
IMPORT = reverse("admin:articles_article_import")


@pytest.fixture
def imported(editor_client, hangzhou, nanjing):
    response = editor_client.post(IMPORT, {"text": SAMPLE})
    assert response.status_code == 302
    return Article.objects.get()


def test_changelist_links_to_the_import_page(editor_client):
    response = editor_client.get(reverse("admin:articles_article_changelist"))
    assertContains(response, f'href="{IMPORT}"')
    assertContains(response, "导入文章")


def test_pasted_text_becomes_a_draft_with_its_raw_text_kept(editor_client, imported, editor):
    assert imported.status == Article.Status.DRAFT
    assert imported.title == "长三角观察：南京与杭州"
    assert imported.source == "智库日报 · 城市研究"
    assert imported.author == editor
    assert imported.import_record.raw == SAMPLE
    assert not Article.objects.published().exists()


def test_report_page_shows_counts_references_and_raw_text(editor_client, imported):
    response = editor_client.get(
        reverse("admin:articles_article_import_result", args=[imported.pk])
    )
    assertContains(response, "拼音注音删除")
    assertContains(response, "乱码已修复")
    assertContains(response, "产业结构的差异")
    assertContains(response, "智庫(kù)日報(bào)")  # the raw text, as it arrived


def test_references_stay_in_the_body_and_the_report_not_as_empty_links(editor_client, imported):
    # An original-link row without its URL would stop every save of the draft.
    assert not OriginalLink.objects.filter(article=imported).exists()
    assert "> 原文：产业结构的差异" in imported.body
    response = editor_client.get(reverse("admin:articles_article_change", args=[imported.pk]))
    assertContains(response, "查看改动、原始文本与建议")


def test_editor_accepts_some_suggestions_and_drops_the_rest(editor_client, imported):
    record = imported.import_record
    assert "新华三" in record.suggested_tags
    assert record.suggested_cities == ["hangzhou", "nanjing"]
    response = editor_client.post(
        reverse("admin:articles_article_import_result", args=[imported.pk]),
        {"tags": ["新华三"], "cities": [City.objects.get(slug="hangzhou").pk]},
    )
    assert response.status_code == 302
    assert [tag.name for tag in imported.tags.all()] == ["新华三"]
    assert [city.slug for city in imported.cities.all()] == ["hangzhou"]


def test_uploaded_html_file_is_imported_as_text(editor_client):
    html = "<html><body><p>杭州觀(guān)察</p><p>杭州的數(shù)字經(jīng)濟(jì).</p></body></html>"
    upload = SimpleUploadedFile("a.html", html.encode("utf-8"), content_type="text/html")
    response = editor_client.post(IMPORT, {"file": upload})
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.title, article.body) == ("杭州观察", "杭州的数字经济。")
    assert article.import_record.filename == "a.html"


def test_gbk_encoded_text_file_is_read(editor_client):
    upload = SimpleUploadedFile("a.txt", "杭州觀察\n杭州的數字經濟。".encode("gb18030"))
    editor_client.post(IMPORT, {"file": upload})
    assert Article.objects.get().title == "杭州观察"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"file": ("a.pdf", b"%PDF-1.4")}, "只接受 .txt、.md 或 .html 文件"),
        ({"file": ("a.txt", b"x" * (MAX_IMPORT_BYTES + 1))}, "文件太大"),
        ({"text": "x" * (MAX_IMPORT_BYTES + 1)}, "文件太大"),
        ({"text": "   "}, "没有可导入的文字"),
        ({}, "没有可导入的文字"),
    ],
    ids=["wrong-type", "file-too-large", "text-too-large", "blank", "nothing"],
)
def test_bad_input_is_refused_with_a_message_and_saves_nothing(editor_client, data, message):
    if "file" in data:
        name, content = data["file"]
        data = {"file": SimpleUploadedFile(name, content)}
    response = editor_client.post(IMPORT, data)
    assert response.status_code == 200
    assertContains(response, message)
    assert not Article.objects.exists()
    assert not ArticleImport.objects.exists()


def test_staff_without_add_permission_cannot_import(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"text": SAMPLE}).status_code == 403
    assert not Article.objects.exists()


def test_import_page_needs_a_login(client):
    response = client.get(IMPORT)
    assert response.status_code == 302
    assertNotContains(response, "粘贴文本", status_code=302)

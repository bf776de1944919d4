"""The admin speaks one register (您) with Chinese punctuation: our catalogue (locale/) overrides
Django's wording, its compiled .mo is current, and the pages people hit say what to do."""

import re
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext, ngettext

from articles.models import Article
from tests.helpers import ADD, CHANGELIST, article_form

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(
    r'^msgid "(?P<id>.+)"\n(?:msgid_plural "(?P<plural>.+)"\n)?msgstr(?:\[0\])? "(?P<str>.*)"$',
    re.M,
)


def catalogue():
    return [
        {key: (value or "").replace('\\"', '"') for key, value in match.groupdict().items()}
        for match in ENTRY.finditer(PO.read_text())
    ]


def test_the_compiled_catalogue_says_what_the_po_file_says():
    entries = catalogue()
    assert len(entries) >= 20
    with translation.override("zh-hans"):
        for entry in entries:
            if entry["plural"]:
                said = ngettext(entry["id"], entry["plural"], 2)
            else:
                said = gettext(entry["id"])
            assert said == entry["str"], "rebuild: manage.py compilemessages -l zh_Hans"


def test_our_wording_is_in_one_register_with_chinese_punctuation():
    for entry in catalogue():
        assert "你" not in entry["str"]
        assert not re.search(r"[\u4e00-\u9fff。，][.,!?;:]", entry["str"]), entry["str"]


def test_saving_says_so_in_one_sentence_without_an_ascii_space(editor_client):
    response = editor_client.post(ADD, article_form(_continue="1"), follow=True)
    (message,) = response.context["messages"]
    assert (
        strip_tags(str(message))
        == "已成功添加文章“杭州有DeepSeek，南京有什么？”。可以在下面继续编辑。"
    )
    assert '<a href="' in response.text.split('class="messagelist"')[1]  # still a link


def test_an_author_gets_a_chinese_403_that_says_what_they_can_do(author_client):
    response = author_client.get(reverse("admin:taggit_tag_changelist"))
    assert response.status_code == 403
    assert "您没有权限打开这个页面" in response.text
    assert "Forbidden" not in response.text
    assert reverse("admin:articles_article_add") in response.text
    assert CHANGELIST in response.text


def test_an_author_opening_a_colleagues_article_is_told_why(author_client, role_user, make_article):
    theirs = make_article(status=Article.Status.DRAFT, author=role_user("li", "作者"))
    response = author_client.get(
        reverse("admin:articles_article_change", args=[theirs.pk]), follow=True
    )
    (message,) = [str(message) for message in response.context["messages"]]
    assert "不是您写的" in message and "可能已经被删除了" not in message
    assert response.redirect_chain[-1][0] == CHANGELIST


def test_a_scheduled_row_shows_its_date_once_and_the_status_unbroken(editor_client, make_article):
    when = timezone.now() + timedelta(days=3)
    make_article(title="下周见", status=Article.Status.SCHEDULED, published_at=when)
    page = editor_client.get(CHANGELIST).text
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*下周见.*?</tr>", page, re.S).group(0)
    assert "定时：" not in row
    assert '<td class="field-state">定时发布</td>' in row


def test_login_attempts_are_out_of_editors_sight(editor_client):
    """django-axes' records are for whoever runs the site (superusers), not the newsroom."""
    index = editor_client.get(reverse("admin:index")).text
    assert "/admin/axes/" not in index
    assert editor_client.get("/admin/axes/accessattempt/").status_code == 403


def test_dates_in_the_admin_are_written_one_way(editor_client, make_article):
    when = timezone.localtime(timezone.now() - timedelta(days=2)).replace(second=0, microsecond=0)
    article = make_article(title="写法一致", published_at=when)
    listed = editor_client.get(CHANGELIST).text
    assert f"{when:%Y-%m-%d %H:%M}" in listed
    assert "年" not in re.search(r'<td class="field-published_at[^>]*>([^<]*)<', listed).group(1)
    page = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).text
    assert not re.search(r"\d{4}年\d{1,2}月\d{1,2}日", page)

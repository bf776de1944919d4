"""E-mail subscriptions end to end, through a real SMTP server the test starts (aiosmtpd): sign
up, confirm by the link in the mail that arrived, receive a digest holding only the published
articles of the chosen tag, leave with one click. And the edges: no address is shown to anyone,
a repeated or hostile sign-up sends nothing more, a scanner following links unsubscribes nobody."""

import email
import re
from datetime import timedelta
from email.policy import default as policy
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from articles.models import Subscription
from tests.services import free_port

aiosmtpd = pytest.importorskip("aiosmtpd.controller", reason="pip install aiosmtpd")


class Inbox:
    """Every message the SMTP server received, parsed."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"

    def text(self, index=-1):
        return self.messages[index][1].get_body(("plain",)).get_content()


@pytest.fixture
def inbox(settings):
    box = Inbox()
    port = free_port()
    server = aiosmtpd.Controller(box, hostname="127.0.0.1", port=port)
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "http://news.example.cn"
    yield box
    server.stop()


def path_of(url):
    parts = urlsplit(url)
    assert parts.netloc == "news.example.cn"
    return parts.path


def links_in(text):
    return re.findall(r"http://news\.example\.cn/\S+", text)


def sign_up(client, address, **fields):
    return client.post("/subscribe/", {"email": address, "frequency": "daily", **fields})


def test_sign_up_confirm_digest_and_leave(client, inbox, make_article, hangzhou):
    now = timezone.now()
    make_article(
        title="订阅之前的人工智能", tags=["人工智能"], published_at=now - timedelta(days=2)
    )
    answer = sign_up(client, "reader@example.cn", tag="人工智能")
    assert answer.status_code == 200 and "请查收确认信" in answer.content.decode()
    assert len(inbox.messages) == 1
    recipients, confirmation = inbox.messages[0]
    assert recipients == ["reader@example.cn"] and "请确认订阅" in confirmation["Subject"]
    assert "标签：人工智能" in inbox.text()

    # Nothing is sent before the address confirms.
    assert call_command_output("send_digests", "daily") == "已发送 0 封摘要邮件。"
    confirm = next(link for link in links_in(inbox.text()) if "/confirm/" in link)
    assert "订阅成功" in client.get(path_of(confirm)).content.decode()

    Subscription.objects.update(sent_until=now - timedelta(days=1))  # confirmed a day ago
    an_hour_ago = now - timedelta(hours=1)
    make_article(title="杭州的人工智能新政", tags=["人工智能"], published_at=an_hour_ago)
    make_article(title="杭州的芯片", tags=["芯片"], published_at=an_hour_ago)
    make_article(title="人工智能草稿", tags=["人工智能"], status="draft")
    assert call_command_output("send_digests", "daily") == "已发送 1 封摘要邮件。"
    digest = inbox.messages[-1][1]
    text = inbox.text()
    assert "杭州的人工智能新政" in text
    assert "杭州的芯片" not in text and "人工智能草稿" not in text and "订阅之前" not in text
    html = digest.get_body(("html",)).get_content()
    assert "杭州的人工智能新政" in html and "<script" not in html

    # One click in the mail client (RFC 8058): a POST to the List-Unsubscribe address.
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    leave = str(digest["List-Unsubscribe"]).strip().strip("<>")
    assert client.post(path_of(leave)).status_code == 200
    assert not Subscription.objects.exists()  # the address is gone too
    make_article(title="又一篇人工智能", tags=["人工智能"])
    assert call_command_output("send_digests", "daily") == "已发送 0 封摘要邮件。"


def call_command_output(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def test_a_link_followed_by_a_scanner_unsubscribes_nobody(client, db, inbox):
    sign_up(client, "reader@example.cn")
    subscription = Subscription.objects.get()
    page = client.get(f"/subscriptions/{subscription.token}/unsubscribe/")
    assert page.status_code == 200 and '<form method="post">' in page.content.decode()
    assert Subscription.objects.exists()


def test_signing_up_again_says_the_same_and_sends_nothing_more(client, db, inbox):
    first = sign_up(client, "reader@example.cn")
    again = sign_up(client, "reader@example.cn")
    assert first.content.decode() == again.content.decode()
    assert len(inbox.messages) == 1
    confirm = links_in(inbox.text())[0]
    client.get(path_of(confirm))
    known = sign_up(client, "reader@example.cn").content.decode()
    assert known == first.content.decode()  # a confirmed address is not revealed either
    assert len(inbox.messages) == 1


def test_no_page_shows_a_subscribers_address(client, inbox, make_article):
    make_article(title="一文", tags=["人工智能"])
    sign_up(client, "secret.reader@example.cn", tag="人工智能")
    client.get(path_of(links_in(inbox.text())[0]))
    for url in (
        "/",
        "/subscribe/",
        "/subscribe/?tag=人工智能",
        "/tags/人工智能/",
        "/api/v1/articles/",
    ):
        assert "secret.reader" not in client.get(url).content.decode(), url


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"email": "不是邮箱"}, "这个邮箱地址写得不对。"),
        ({"email": ""}, "请填写邮箱。"),
        ({"email": "a@example.cn", "frequency": "hourly"}, "频率只能是每天或每周。"),
        ({"email": "a@example.cn", "tag": "没有的标签"}, "没有这个标签。"),
        ({"email": "a@example.cn", "city": "atlantis"}, "没有这座城市。"),
        ({"email": "a@example.cn\r\nBcc: victim@example.cn"}, "这个邮箱地址写得不对。"),
    ],
)
def test_a_bad_sign_up_is_a_400_with_a_message_and_sends_nothing(
    client, db, inbox, fields, message
):
    answer = client.post("/subscribe/", {"frequency": "daily", **fields})
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert inbox.messages == []


def test_sign_ups_are_rate_limited_per_client(client, db, inbox, settings):
    settings.SUBSCRIBE_RATE = "3/hour"
    answers = [sign_up(client, f"r{n}@example.cn").status_code for n in range(5)]
    assert answers == [200, 200, 200, 429, 429]
    assert len(inbox.messages) == 3


def test_an_unreachable_mail_server_is_said_plainly(client, db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    answer = sign_up(client, "reader@example.cn")
    assert answer.status_code == 400 and "确认信暂时发不出去" in answer.content.decode()
    assert Subscription.objects.get().asked_at is None  # the next try sends again


def test_a_tag_page_offers_its_mail_subscription(client, make_article, db):
    make_article(title="一文", tags=["芯片"])
    page = client.get("/tags/芯片/").content.decode()
    assert 'href="/subscribe/?tag=%E8%8A%AF%E7%89%87"' in page
    form = client.get("/subscribe/?tag=芯片").content.decode()
    assert "<h1>订阅标签：芯片</h1>" in form and 'name="tag" value="芯片"' in form
    assert mail.outbox == []

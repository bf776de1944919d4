"""One client identity (siteconf.security.client_ip) for login lock-outs, the API's rate limit
and the search throttle: a client writing a new X-Forwarded-For on every request is still one
client, with or without a trusted proxy in front."""

import pytest

CLIENT = "203.0.113.9"
PROXY = "10.0.0.2"


def forged(n):
    return f"198.51.100.{n % 250}"


@pytest.fixture
def low_rates(settings):
    settings.API_ANON_RATE = "5/min"
    settings.SEARCH_RATE = "5/min"


def statuses(client, url, count, **headers):
    return [
        client.get(url, **{k: v(n) if callable(v) else v for k, v in headers.items()}).status_code
        for n in range(count)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/articles/", "/api/v1/tags/"])
def test_rotated_forwarded_for_does_not_escape_the_api_limit(client, low_rates, url):
    answers = statuses(client, url, 12, REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=forged)
    assert answers == [200] * 5 + [429] * 7
    response = client.get(url, REMOTE_ADDR=CLIENT)
    assert response.json() == {"detail": "请求过于频繁，请稍后再试。"}
    assert 1 <= int(response["Retry-After"]) <= 60


@pytest.mark.django_db
def test_rotated_forwarded_for_does_not_escape_the_search_throttle(client, low_rates):
    answers = [
        client.get(
            "/articles/", {"q": f"城市{n}"}, REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=forged(n)
        ).status_code
        for n in range(8)
    ]
    assert answers == [200] * 5 + [429] * 3
    response = client.get("/articles/", {"q": "南京"}, REMOTE_ADDR=CLIENT)
    assert "搜索过于频繁" in response.content.decode()
    assert response["Retry-After"]
    # Browsing is not searching: the same reader still reads.
    assert client.get("/articles/", REMOTE_ADDR=CLIENT).status_code == 200
    # Another reader searches.
    assert client.get("/articles/", {"q": "南京"}, REMOTE_ADDR="192.0.2.1").status_code == 200


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_client_is_the_address_the_proxy_saw(
    client, low_rates, settings
):
    """The proxy appends what it saw; what the client wrote further left is not believed."""
    settings.TRUSTED_PROXY_COUNT = 1
    answers = statuses(
        client,
        "/api/v1/articles/",
        8,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=lambda n: f"{forged(n)}, {CLIENT}",
    )
    assert answers == [200] * 5 + [429] * 3
    other = client.get("/api/v1/articles/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert other.status_code == 200


@pytest.mark.django_db
def test_staff_searching_are_not_throttled(editor_client, low_rates):
    answers = [editor_client.get("/articles/", {"q": f"城市{n}"}).status_code for n in range(8)]
    assert answers == [200] * 8

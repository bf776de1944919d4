"""Covers in object storage (MEDIA_S3_*): moto's S3 server, started here and spoken to over
HTTP, stands in for AWS, OSS, COS or MinIO. The cover and its sizes are stored there and served
from there, names never overwrite one another, and deleting the article deletes its objects
once the delete has committed."""

import json
import urllib.request
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from siteconf.settings import s3_media_storage

from articles.editorial.images import rendition_files
from articles.models import Article, PendingCover
from tests.helpers import add_with_cover, picture
from tests.services import S3Server


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    server = S3Server(tmp_path_factory.mktemp("s3")).start()
    yield server
    server.stop()


@pytest.fixture
def bucket(s3, settings):
    name = f"covers-{uuid.uuid4().hex[:12]}"
    s3.client().create_bucket(Bucket=name)
    # Readers fetch covers anonymously: the bucket policy the README asks for.
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{name}/*",
            }
        ],
    }
    s3.client().put_bucket_policy(Bucket=name, Policy=json.dumps(public_read))
    settings.STORAGES = settings.STORAGES | {"default": s3_media_storage(s3.env(name))}
    return name


def keys(s3, bucket):
    listing = s3.client().list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def body(s3, bucket, key):
    return s3.client().get_object(Bucket=bucket, Key=key)["Body"].read()


def test_a_cover_and_its_sizes_are_stored_and_served_from_the_bucket(
    editor_client, client, s3, bucket
):
    response = add_with_cover(editor_client, picture())
    assert response.status_code == 302
    article = Article.objects.get()
    stored = keys(s3, bucket)
    assert stored == sorted(rendition_files(article.cover_image.name, article.cover_renditions))
    assert len(stored) == 5  # the image, three widths and the share card

    client.logout()
    page = client.get(article.get_absolute_url()).content.decode()
    rendition = article.cover_renditions["sizes"][0][2]
    url = f"{s3.url}/{bucket}/{rendition}"
    assert url in page
    with urllib.request.urlopen(url, timeout=10) as served:
        assert served.read() == body(s3, bucket, rendition)
        assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_names_never_collide(editor_client, s3, bucket):
    first = default_storage.save("covers/same.jpg", ContentFile(b"first"))
    second = default_storage.save("covers/same.jpg", ContentFile(b"second"))
    assert first != second
    assert body(s3, bucket, first) == b"first"
    assert body(s3, bucket, second) == b"second"

    add_with_cover(editor_client, picture(), name="封面.jpg")
    add_with_cover(editor_client, picture(), name="封面.jpg")
    covers = [a.cover_image.name for a in Article.objects.all()]
    assert len(set(covers)) == 2
    assert len(keys(s3, bucket)) == 2 + 2 * 5  # each cover: itself, three widths, its card


def test_deleting_an_article_deletes_its_objects_after_the_commit(
    editor_client, s3, bucket, django_capture_on_commit_callbacks
):
    add_with_cover(editor_client, picture())
    article = Article.objects.get()
    with django_capture_on_commit_callbacks() as callbacks:
        response = editor_client.post(
            reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
        )
        assert response.status_code == 302
    assert len(keys(s3, bucket)) == 5  # not yet committed: a rollback would still need them
    for callback in callbacks:
        callback()
    assert keys(s3, bucket) == []


def test_a_custom_domain_serves_the_covers(settings, s3):
    settings.STORAGES = settings.STORAGES | {
        "default": s3_media_storage(s3.env("covers") | {"MEDIA_S3_CUSTOM_DOMAIN": "img.example.cn"})
    }
    assert default_storage.url("covers/a.webp") == "https://img.example.cn/covers/a.webp"


def test_an_unreachable_bucket_fails_the_covers_task_not_the_save(
    editor_client, settings, tmp_path
):
    gone = S3Server(tmp_path / "gone").start()
    settings.STORAGES = settings.STORAGES | {"default": s3_media_storage(gone.env("covers"))}
    gone.stop()
    response = add_with_cover(editor_client, picture())
    assert response.status_code == 302  # the text is saved; the cover waits to be tried again
    article = Article.objects.get()
    assert not article.cover_image and not article.cover_renditions
    assert PendingCover.objects.filter(article=article).exists()

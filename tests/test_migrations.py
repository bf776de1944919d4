"""Every migration of ours reverses: migrate to zero and back, on the suite's database."""

import pytest
from django.core.management import call_command
from django.db import connection

from articles.models import Article


@pytest.mark.django_db(transaction=True)
def test_articles_migrations_reverse_to_zero_and_back():
    call_command("migrate", "articles", "zero", verbosity=0)
    assert "articles_article" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert "articles_article" in connection.introspection.table_names()
    article = Article.objects.create(title="迁移之后", status=Article.Status.PUBLISHED)
    assert Article.objects.published().get() == article

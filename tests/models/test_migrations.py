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


@pytest.mark.django_db(transaction=True)
def test_moving_tags_to_their_own_table_keeps_every_articles_tags_both_ways():
    """0009 moves articles' tags out of taggit's generic table; a city's tags stay there."""
    from django.db.migrations.executor import MigrationExecutor

    before, after = ("articles", "0008_article_date_index"), ("articles", "0009_article_tag")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    Tag = old.get_model("taggit", "Tag")
    TaggedItem = old.get_model("taggit", "TaggedItem")
    ContentType = old.get_model("contenttypes", "ContentType")
    article_type, _ = ContentType.objects.get_or_create(app_label="articles", model="article")
    city_type, _ = ContentType.objects.get_or_create(app_label="articles", model="city")
    chips, ai = (
        Tag.objects.create(name="芯片", slug="芯片"),
        Tag.objects.create(name="AI", slug="ai"),
    )
    article = old.get_model("articles", "Article").objects.create(title="旧文章", slug="old")
    city = old.get_model("articles", "City").objects.create(name="杭州", slug="hangzhou")
    for tag in (chips, ai):
        TaggedItem.objects.create(content_type=article_type, object_id=article.pk, tag=tag)
    TaggedItem.objects.create(content_type=city_type, object_id=city.pk, tag=chips)
    # A row left behind by an article deleted long ago: a foreign key cannot point at it.
    TaggedItem.objects.create(content_type=article_type, object_id=article.pk + 1000, tag=ai)

    executor = MigrationExecutor(connection)
    executor.migrate([after])
    new = executor.loader.project_state([after]).apps
    moved = new.get_model("articles", "ArticleTag").objects.filter(content_object_id=article.pk)
    assert sorted(moved.values_list("tag__name", flat=True)) == ["AI", "芯片"]
    generic = new.get_model("taggit", "TaggedItem").objects
    assert list(generic.values_list("content_type_id", "object_id")) == [(city_type.pk, city.pk)]

    executor = MigrationExecutor(connection)
    executor.migrate([before])
    back = TaggedItem.objects.filter(content_type=article_type, object_id=article.pk)
    assert sorted(back.values_list("tag__name", flat=True)) == ["AI", "芯片"]
    call_command("migrate", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_roles_groups_are_renamed_with_their_members_and_back():
    """0016 renames the groups Author and Editor to 作者 and 编辑; setup_roles then refreshes
    them instead of making a second pair."""
    from io import StringIO

    from django.contrib.auth.models import Group, User
    from django.db.migrations.executor import MigrationExecutor

    before, after = ("articles", "0015_i20_review"), ("articles", "0016_i20_role_names")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    Group.objects.all().delete()
    wang = User.objects.create_user("wang")
    wang.groups.add(Group.objects.create(name="Author"))
    Group.objects.create(name="Editor")

    MigrationExecutor(connection).migrate([after])
    assert sorted(Group.objects.values_list("name", flat=True)) == ["作者", "编辑"]
    assert [group.name for group in wang.groups.all()] == ["作者"]
    call_command("setup_roles", stdout=StringIO())
    assert Group.objects.count() == 2

    MigrationExecutor(connection).migrate([before])
    assert sorted(Group.objects.values_list("name", flat=True)) == ["Author", "Editor"]
    call_command("migrate", verbosity=0)

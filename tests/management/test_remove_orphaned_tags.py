"""manage.py remove_orphaned_tags is ours: taggit's, of the same name, deletes the tags that
articles use, since their tags are in our own through table (ArticleTag)."""

from io import StringIO

from django.core.management import call_command
from taggit.models import Tag

from articles.models import Article, TagAlias, TagRedirect


def remove_orphaned_tags(*args):
    output = StringIO()
    call_command("remove_orphaned_tags", *args, stdout=output)
    return output.getvalue()


def tag_names():
    return sorted(Tag.objects.values_list("name", flat=True))


def test_tags_of_articles_and_cities_are_kept(make_article, hangzhou):
    make_article(tags=["人工智能"])
    make_article(tags=["芯片"], status=Article.Status.DRAFT)
    assert remove_orphaned_tags() == "No orphaned tags.\n"
    assert tag_names() == ["人工智能", "数字经济", "芯片"]
    assert list(hangzhou.tags.names()) == ["数字经济"]
    assert sorted(Article.objects.values_list("tags__name", flat=True)) == ["人工智能", "芯片"]


def test_a_tag_used_by_nothing_is_removed(make_article):
    make_article(tags=["人工智能"])
    make_article(tags=["人工智能", "旧话题"]).delete()
    make_article(tags=["过时"]).delete()
    output = remove_orphaned_tags()
    assert tag_names() == ["人工智能"]
    assert output == "Removed 2 orphaned tags: 旧话题、过时\n"


def test_dry_run_removes_nothing_and_says_what_it_would_remove(make_article):
    make_article(tags=["旧话题"]).delete()
    output = remove_orphaned_tags("--dry-run")
    assert tag_names() == ["旧话题"]
    assert output == "Dry run: would remove 1 orphaned tags: 旧话题\n"


def test_a_tag_an_alias_or_a_redirect_still_names_is_kept(make_article):
    make_article(tags=["大模型", "人工智能"]).delete()
    TagAlias.objects.create(name="LLM", tag=Tag.objects.get(name="大模型"))
    TagRedirect.objects.create(old_slug="ai", tag=Tag.objects.get(name="人工智能"))
    assert remove_orphaned_tags() == "No orphaned tags.\n"
    assert tag_names() == ["人工智能", "大模型"]

"""Fill the search tokens of existing articles (the triggers and the generated column then
index them). Historical models only: the tokenizer is a pure function."""

from django.db import migrations

from articles.search import index_text, plain_text


def fill(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="articles", model="article").first()
    for article in Article.objects.iterator(chunk_size=500):
        tags = []
        if content_type:
            tags = TaggedItem.objects.filter(
                content_type=content_type, object_id=article.pk
            ).values_list("tag__name", flat=True)
        Article.objects.filter(pk=article.pk).update(
            search_title=index_text("\n".join([article.title, *tags])),
            search_body=index_text(plain_text(article.summary, article.body_html)),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_search"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

"""Filled the search tokens of existing articles with the tokenizer of its day. Migration 0011
derives every article's tokens again from its blocks, so this step has nothing left to do."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_search"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []

"""The two roles' groups get Chinese names: Author → 作者, Editor → 编辑 (members and
permissions stay; setup_roles knows only the new names)."""

from django.db import migrations

NAMES = {"Author": "作者", "Editor": "编辑"}


def rename(apps, names):
    Group = apps.get_model("auth", "Group")
    for old, new in names.items():
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)


def forwards(apps, schema_editor):
    rename(apps, NAMES)


def backwards(apps, schema_editor):
    rename(apps, {new: old for old, new in NAMES.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_i20_review"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

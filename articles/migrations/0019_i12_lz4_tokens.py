"""PostgreSQL keeps the token columns compressed with lz4 rather than pglz.

A search of three characters or more checks each candidate row's token columns for its tokens
side by side, which unpacks them: pglz takes about twice as long as lz4 to unpack a body's
tokens (about 14 KB). Values written before are rewritten once, so that they are lz4 too. A
server built without lz4 keeps pglz: the search is the same, only slower.
"""

from django.db import migrations

COLUMNS = ("search_title", "search_body")


def to_lz4(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression'"
                       " AND 'lz4' = ANY(enumvals)")  # fmt: skip
        if cursor.fetchone() is None:
            return
        cursor.execute(
            "ALTER TABLE articles_article "
            + ", ".join(f"ALTER COLUMN {column} SET COMPRESSION lz4" for column in COLUMNS)
        )
        # A value is compressed when written: appending nothing writes it anew.
        cursor.execute(
            "UPDATE articles_article SET "
            + ", ".join(f"{column} = {column} || ''" for column in COLUMNS)
        )


def to_pglz(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE articles_article "
            + ", ".join(f"ALTER COLUMN {column} SET COMPRESSION pglz" for column in COLUMNS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_i17_subscriptions"),
    ]

    operations = [migrations.RunPython(to_lz4, to_pglz)]

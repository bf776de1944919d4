"""SQLite's FTS5 index of articles: its DDL, the migration operation that runs it on SQLite
only, and the triggers re-created after every migrate.

The FTS5 index is created by migration and kept in step by triggers. Django rebuilds a table
to alter it on SQLite, which drops its triggers, so ensure_sqlite_index() (a post_migrate
receiver in articles.signals) re-creates them.
"""

import string

from django.db import connections, migrations

FTS5_TABLE = "article_search"
# Tokens are split at spaces only: the ascii tokenizer keeps every non-ASCII character in its
# token, and ASCII punctuation is made part of tokens too (the text is folded already).
_PUNCTUATION = string.punctuation.replace("'", "''").replace('"', '""')
FTS5_TOKENIZER = f"ascii tokenchars '{_PUNCTUATION}'"
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS article_search_insert AFTER INSERT ON articles_article BEGIN
      INSERT INTO {FTS5_TABLE}(rowid, search_title, search_body)
      VALUES (new.id, new.search_title, new.search_body);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS article_search_delete AFTER DELETE ON articles_article BEGIN
      INSERT INTO {FTS5_TABLE}({FTS5_TABLE}, rowid, search_title, search_body)
      VALUES ('delete', old.id, old.search_title, old.search_body);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS article_search_update
    AFTER UPDATE OF search_title, search_body ON articles_article BEGIN
      INSERT INTO {FTS5_TABLE}({FTS5_TABLE}, rowid, search_title, search_body)
      VALUES ('delete', old.id, old.search_title, old.search_body);
      INSERT INTO {FTS5_TABLE}(rowid, search_title, search_body)
      VALUES (new.id, new.search_title, new.search_body);
    END""",
]
SQLITE_CREATE = [
    f"""CREATE VIRTUAL TABLE {FTS5_TABLE} USING fts5(
      search_title, search_body, content='articles_article', content_rowid='id',
      tokenize="{FTS5_TOKENIZER}")""",
    f"INSERT INTO {FTS5_TABLE}({FTS5_TABLE}) VALUES ('rebuild')",
    *SQLITE_TRIGGERS,
]
SQLITE_DROP_TRIGGERS = [
    "DROP TRIGGER IF EXISTS article_search_insert",
    "DROP TRIGGER IF EXISTS article_search_delete",
    "DROP TRIGGER IF EXISTS article_search_update",
]
SQLITE_DROP = [*SQLITE_DROP_TRIGGERS, f"DROP TABLE IF EXISTS {FTS5_TABLE}"]


class VendorSQL(migrations.RunSQL):
    """RunSQL on one database vendor only: each engine has its own full-text index."""

    def __init__(self, vendor, sql, reverse_sql):
        self.vendor = vendor
        super().__init__(sql, reverse_sql)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, args, {"vendor": self.vendor, **kwargs}

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def ensure_sqlite_index(using="default", **kwargs):
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        if FTS5_TABLE in connection.introspection.table_names(cursor):
            for sql in SQLITE_TRIGGERS:
                cursor.execute(sql)

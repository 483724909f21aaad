"""On PostgreSQL, compare terms byte by byte (COLLATE "C") whatever the database's collation.

The initials search reads a prefix as the range `low <= term < high`, which is only a prefix
under byte order; a database created with a language collation (en_US.UTF-8, zh_CN.UTF-8)
would otherwise order `in:lnr…` among other terms. SQLite always compares bytes (BINARY).
"""

from django.db import migrations

TABLES = ("search_indexentry", "search_termstat")


def to_byte_order(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f'ALTER TABLE {table} ALTER COLUMN term TYPE varchar(64) COLLATE "C"')


def to_default(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f'ALTER TABLE {table} ALTER COLUMN term TYPE varchar(64) COLLATE "default"')


class Migration(migrations.Migration):
    dependencies = [("search", "0004_term_statistics")]
    operations = [migrations.RunPython(to_byte_order, to_default)]

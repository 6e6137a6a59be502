"""Near-miss spellings of people's names (Person.objects.similar_to).

PostgreSQL: the pg_trgm extension and trigram GIN indexes on the names of
people and of their aliases. SQLite: an FTS5 table with the trigram tokenizer
over the same names, filled here and kept current by triggers (rowid: twice
the person's id, or twice the alias's id plus one).
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

PERSON_INDEX = GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="person_name_trgm")
ALIAS_INDEX = GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="alias_name_trgm")

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE people_name_trigram USING fts5("
    "name, person_id UNINDEXED, tokenize = 'trigram')",
    "INSERT INTO people_name_trigram (rowid, name, person_id) "
    "SELECT id * 2, name, id FROM people_person",
    "INSERT INTO people_name_trigram (rowid, name, person_id) "
    "SELECT id * 2 + 1, name, person_id FROM people_personalias",
    "CREATE TRIGGER people_person_trigram_ins AFTER INSERT ON people_person BEGIN "
    "INSERT INTO people_name_trigram (rowid, name, person_id) VALUES (new.id * 2, new.name, new.id);"
    " END",
    "CREATE TRIGGER people_person_trigram_upd AFTER UPDATE OF name ON people_person BEGIN "
    "UPDATE people_name_trigram SET name = new.name WHERE rowid = old.id * 2; END",
    "CREATE TRIGGER people_person_trigram_del AFTER DELETE ON people_person BEGIN "
    "DELETE FROM people_name_trigram WHERE rowid = old.id * 2; END",
    "CREATE TRIGGER people_alias_trigram_ins AFTER INSERT ON people_personalias BEGIN "
    "INSERT INTO people_name_trigram (rowid, name, person_id) "
    "VALUES (new.id * 2 + 1, new.name, new.person_id); END",
    "CREATE TRIGGER people_alias_trigram_upd AFTER UPDATE ON people_personalias BEGIN "
    "UPDATE people_name_trigram SET name = new.name, person_id = new.person_id "
    "WHERE rowid = old.id * 2 + 1; END",
    "CREATE TRIGGER people_alias_trigram_del AFTER DELETE ON people_personalias BEGIN "
    "DELETE FROM people_name_trigram WHERE rowid = old.id * 2 + 1; END",
]
SQLITE_DROP = [
    *(
        f"DROP TRIGGER {name}"
        for name in (
            "people_person_trigram_ins",
            "people_person_trigram_upd",
            "people_person_trigram_del",
            "people_alias_trigram_ins",
            "people_alias_trigram_upd",
            "people_alias_trigram_del",
        )
    ),
    "DROP TABLE people_name_trigram",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Not TrigramExtension(): migrating back through it fails on SQLite.
        # Left in place on the way back, for whatever else uses it.
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.add_index(apps.get_model("people", "Person"), PERSON_INDEX)
        schema_editor.add_index(apps.get_model("people", "PersonAlias"), ALIAS_INDEX)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("people", "Person"), PERSON_INDEX)
        schema_editor.remove_index(apps.get_model("people", "PersonAlias"), ALIAS_INDEX)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_headshot_originals_storage"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(model_name="person", index=PERSON_INDEX),
                migrations.AddIndex(model_name="personalias", index=ALIAS_INDEX),
            ],
            database_operations=[migrations.RunPython(create, drop)],
        ),
    ]

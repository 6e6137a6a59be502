"""The responsive variants of headshots (newsroom.responsive), in a JSON field.

On SQLite, adding (and on the way back removing) a column with a default
rebuilds people_person, and the rebuild drops the triggers that keep the
trigram table of names current (migration 0004): they are made again after
it, each way.
"""

from django.db import migrations, models

PERSON_TRIGGERS = {
    "people_person_trigram_ins": (
        "AFTER INSERT ON people_person BEGIN "
        "INSERT INTO people_name_trigram (rowid, name, person_id) "
        "VALUES (new.id * 2, new.name, new.id); END"
    ),
    "people_person_trigram_upd": (
        "AFTER UPDATE OF name ON people_person BEGIN "
        "UPDATE people_name_trigram SET name = new.name WHERE rowid = old.id * 2; END"
    ),
    "people_person_trigram_del": (
        "AFTER DELETE ON people_person BEGIN "
        "DELETE FROM people_name_trigram WHERE rowid = old.id * 2; END"
    ),
}


def restore_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, definition in PERSON_TRIGGERS.items():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute(f"CREATE TRIGGER {name} {definition}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_name_trigrams"),
    ]

    operations = [
        # Backwards, after the column's removal has rebuilt the table.
        migrations.RunPython(migrations.RunPython.noop, restore_triggers),
        migrations.AddField(
            model_name="person",
            name="variants",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.RunPython(restore_triggers, migrations.RunPython.noop),
    ]

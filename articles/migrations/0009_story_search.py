"""Full-text search of stories from a stored index (see articles.search).

PostgreSQL: a weighted tsvector column on the story, filled here for every
story and read through a GIN index; the GIN index on an expression of
migration 0003 goes. SQLite: an FTS5 table keyed by story id (reached through
the unmanaged StorySearchEntry), filled here. Other databases get neither.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

OLD_INDEX = "story_search_gin"
VECTOR_INDEX = GinIndex(fields=["search_vector"], name="story_search_vector_gin")
FTS_TABLE = (
    "CREATE VIRTUAL TABLE articles_story_fts USING fts5("
    "headline, standfirst, names, body, tokenize = 'porter unicode61 remove_diacritics 2')"
)


def old_index():
    vector = SearchVector("headline", "standfirst", "body", config="simple")
    return GinIndex(vector, name=OLD_INDEX)


def create_index(apps, schema_editor):
    from articles import search_index

    Story = apps.get_model("articles", "Story")
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.remove_index(Story, old_index())
        schema_editor.add_index(Story, VECTOR_INDEX)
    elif vendor == "sqlite":
        schema_editor.execute(FTS_TABLE)
    else:
        return
    alias = schema_editor.connection.alias
    ids = list(Story.objects.using(alias).values_list("pk", flat=True))
    for start in range(0, len(ids), 2000):
        search_index.refresh(ids[start : start + 2000], using=alias)


def drop_index(apps, schema_editor):
    Story = apps.get_model("articles", "Story")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(Story, VECTOR_INDEX)
        schema_editor.add_index(Story, old_index())
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE articles_story_fts")
        # A later migration that rebuilt the story table made the index
        # from the model state, as a plain one: it goes with its column.
        schema_editor.execute(f"DROP INDEX IF EXISTS {VECTOR_INDEX.name}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_photo_originals_storage"),
    ]

    operations = [
        migrations.CreateModel(
            name="StorySearchEntry",
            fields=[
                (
                    "story",
                    models.OneToOneField(
                        db_column="rowid",
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="articles.story",
                    ),
                ),
                ("headline", models.TextField()),
                ("standfirst", models.TextField()),
                ("names", models.TextField()),
                ("body", models.TextField()),
            ],
            options={
                "db_table": "articles_story_fts",
                "managed": False,
            },
        ),
        migrations.AddField(
            model_name="story",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="story",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=["search_vector"], name="story_search_vector_gin"
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(create_index, drop_index)],
        ),
    ]

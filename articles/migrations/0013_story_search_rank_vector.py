"""Two small search vectors of the story, which rank the matches of the full
one (see articles.search): without the body, and the headline alone.
PostgreSQL only, like the full one, filled here for every story; SQLite ranks
with its FTS5 table."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

INDEXES = [
    django.contrib.postgres.indexes.GinIndex(fields=[field], name=name)
    for field, name in (
        ("search_rank_vector", "story_search_rank_gin"),
        ("search_headline_vector", "story_search_headline_gin"),
    )
]


def create_indexes(apps, schema_editor):
    from articles import search_index

    if schema_editor.connection.vendor != "postgresql":
        return
    Story = apps.get_model("articles", "Story")
    for index in INDEXES:
        schema_editor.add_index(Story, index)
    alias = schema_editor.connection.alias
    ids = list(Story.objects.using(alias).values_list("pk", flat=True))
    for start in range(0, len(ids), 2000):
        search_index.refresh(ids[start : start + 2000], using=alias)


def drop_indexes(apps, schema_editor):
    # On SQLite a later table rebuild may have made them plain indexes.
    for index in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index.name}")


def vector() -> django.contrib.postgres.search.SearchVectorField:
    return django.contrib.postgres.search.SearchVectorField(editable=False, null=True)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_photo_variants_and_focal_point"),
    ]

    operations = [
        migrations.AddField(model_name="story", name="search_rank_vector", field=vector()),
        migrations.AddField(model_name="story", name="search_headline_vector", field=vector()),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(model_name="story", index=index) for index in INDEXES
            ],
            database_operations=[migrations.RunPython(create_indexes, drop_indexes)],
        ),
    ]

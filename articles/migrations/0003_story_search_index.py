"""Full-text search of stories on PostgreSQL: a GIN index on the expression
that StoryQuerySet.search() matched until migration 0009 replaced it with a
stored vector (the expression is frozen here, as it was).

Other databases get nothing: the admin searched them by substring.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "story_search_gin"


def search_index():
    vector = SearchVector("headline", "standfirst", "body", config="simple")
    return GinIndex(vector, name=INDEX_NAME)


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Story"), search_index())


def remove_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("articles", "Story"), search_index())


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_photo_without_image_and_legacy_checksum"),
    ]

    operations = [
        migrations.RunPython(add_search_index, remove_search_index),
    ]

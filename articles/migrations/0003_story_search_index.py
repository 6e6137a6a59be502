"""Full-text search of stories on PostgreSQL: a GIN index on exactly the
expression that StoryQuerySet.search() matches, articles.search.search_vector().

Other databases get nothing: the admin searches them by substring.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from articles.search import search_vector

INDEX_NAME = "story_search_gin"


def search_index():
    return GinIndex(search_vector(), name=INDEX_NAME)


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

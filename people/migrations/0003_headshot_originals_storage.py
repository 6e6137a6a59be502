# Headshot originals move out of MEDIA_ROOT, which is served, into the
# originals' storage (newsroom.originals), which never is; their location
# metadata is removed on the way. Stored names stay as they are.

import newsroom.images
import newsroom.originals
import people.models
from django.db import migrations, models

FOLDER = "people/originals"


def move_out(apps, schema_editor):
    newsroom.originals.move_out_of_media(FOLDER)


def move_back(apps, schema_editor):
    newsroom.originals.move_back_to_media(FOLDER)


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0002_headshot_rendition'),
    ]

    operations = [
        migrations.AlterField(
            model_name='person',
            name='headshot',
            field=models.ImageField(blank=True, help_text='Optional portrait, JPEG, PNG or WebP.', storage=newsroom.originals.originals_storage, upload_to=people.models.headshot_upload_to, validators=[newsroom.images.validate_photo_file]),
        ),
        migrations.RunPython(move_out, move_back),
    ]

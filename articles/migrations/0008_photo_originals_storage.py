# Photo originals move out of MEDIA_ROOT, which is served, into the originals'
# storage (newsroom.originals), which never is; their location metadata is
# removed on the way. Stored names stay as they are: no row changes.

import articles.models
import newsroom.images
import newsroom.originals
from django.db import migrations, models

FOLDER = "photos/originals"


def move_out(apps, schema_editor):
    newsroom.originals.move_out_of_media(FOLDER)


def move_back(apps, schema_editor):
    newsroom.originals.move_back_to_media(FOLDER)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0007_revisions_and_working_copies'),
    ]

    operations = [
        migrations.AlterField(
            model_name='photo',
            name='image',
            field=models.ImageField(blank=True, height_field='height', help_text='JPEG, PNG or WebP. Imported stories may carry a caption and credit without one.', storage=newsroom.originals.originals_storage, upload_to=articles.models.photo_upload_to, validators=[newsroom.images.validate_photo_file], width_field='width'),
        ),
        migrations.RunPython(move_out, move_back),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_story_search")]

    operations = [
        migrations.AddField(
            model_name="story",
            name="type_of_work",
            field=models.CharField(
                choices=[
                    ("news", "News"),
                    ("analysis", "Analysis"),
                    ("opinion", "Opinion"),
                    ("feature", "Feature"),
                    ("interview", "Interview"),
                    ("explainer", "Explainer"),
                ],
                default="news",
                help_text="Shown to readers beside the headline, so they know what kind of story it is.",
                max_length=20,
            ),
        ),
    ]

"""The stories app: stories, photos, topics, bylines, quoted sources, cross-links."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Stories")

    def ready(self) -> None:
        from articles import caching, revisions, search_index

        revisions.register_models()
        search_index.connect_signals()
        caching.connect()

"""The public pages of stories and topics: home, story, topic list, topic,
the corrections, search, the pages that shared preview links open, the
feeds (latest, per topic, per person), the sitemaps and robots.txt."""

from django.urls import path

from articles import feeds, previews, sitemaps, views
from newsroom.caching import public_page

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("stories/<slug:slug>/", views.story_detail, name="story"),
    # The stored form of a story link in a body (articles.rendering.story_link).
    path("stories/id/<int:pk>/", views.story_by_id, name="story_by_id"),
    path("corrections/", views.corrections, name="corrections"),
    path("search/", views.search, name="search"),
    path("preview/<str:token>/", previews.shared_preview, name="shared_preview"),
    path("topics/", views.topic_list, name="topics"),
    # Topic slugs may be Unicode (taggit slugifies with allow_unicode).
    path("topics/<str:slug>/", views.topic_detail, name="topic"),
    path("feeds/rss/", public_page()(feeds.LatestStories()), name="feed_rss"),
    path("feeds/atom/", public_page()(feeds.LatestStoriesAtom()), name="feed_atom"),
    path(
        "topics/<str:slug>/feed/rss/",
        public_page("topic:{slug}")(feeds.TopicStories()),
        name="topic_feed_rss",
    ),
    path(
        "topics/<str:slug>/feed/atom/",
        public_page("topic:{slug}")(feeds.TopicStoriesAtom()),
        name="topic_feed_atom",
    ),
    # Under the person's own address, though people's pages are routed by
    # the people app: a person's stories are this app's to list.
    path(
        "people/<slug:slug>/feed/rss/",
        public_page("person:{slug}")(feeds.PersonStories()),
        name="person_feed_rss",
    ),
    path(
        "people/<slug:slug>/feed/atom/",
        public_page("person:{slug}")(feeds.PersonStoriesAtom()),
        name="person_feed_atom",
    ),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("sitemap-<str:section>.xml", sitemaps.sitemap_section, name="sitemap_section"),
    path("news-sitemap.xml", sitemaps.news_sitemap, name="news_sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
]

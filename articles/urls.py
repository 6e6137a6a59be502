"""The public pages of stories and topics: home, story, topic list, topic,
the corrections, search, and the pages that shared preview links open."""

from django.urls import path

from articles import previews, views

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
]

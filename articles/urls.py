"""The public pages of stories and topics: home, story, topic list, topic."""

from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("stories/<slug:slug>/", views.story_detail, name="story"),
    path("topics/", views.topic_list, name="topics"),
    # Topic slugs may be Unicode (taggit slugifies with allow_unicode).
    path("topics/<str:slug>/", views.topic_detail, name="topic"),
]

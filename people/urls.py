"""The public pages of people."""

from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("<slug:slug>/", views.person_detail, name="detail"),
]

"""Credit endpoints (the participant's own credit, offers of a collaborative)."""

from django.urls import path

from .views import MyCredit

urlpatterns: list = [
    path("me/credit/", MyCredit.as_view(), name="my-credit"),
]

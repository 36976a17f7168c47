"""Routes of the learning-sessions API under /api/v1/ (events and registrations)."""

from django.urls import path

from .events import CollaborativeEventList, EventDetail, EventRegistration, MyRegistrationList

C = "collaboratives/<uuid:collaborative_id>"
E = "events/<uuid:event_id>"

urlpatterns = [
    path(f"{C}/events/", CollaborativeEventList.as_view(), name="collaborative-events"),
    path(f"{E}/", EventDetail.as_view(), name="event-detail"),
    path(f"{E}/registration/", EventRegistration.as_view(), name="event-registration"),
    path("me/event-registrations/", MyRegistrationList.as_view(), name="my-event-registrations"),
]

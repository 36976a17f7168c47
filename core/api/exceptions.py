"""One JSON shape for every API error.

    {"error": {"code": "not_found", "message": "Not found.", "fields": {...}}}

`fields` is present for validation errors and maps field names to messages
(`non_field_errors` for the others).

Services raise Django's ValidationError (the pages show it on their forms); an API
view lets it propagate and this handler answers 400 with the same shape as a
serializer's errors, so no view converts it itself.

A request refused by authentication or permissions is counted against the throttles
here and may answer 429 instead of 401/403 (`core.api.throttling` says why the handler
is where that happens).
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.exceptions import ValidationError
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .throttling import throttle_refused_request


def _from_django_validation_error(exc: DjangoValidationError) -> ValidationError:
    """{field: [messages]} for field errors; Django's non-field key (and a plain
    message or list of messages) under DRF's `non_field_errors`."""
    detail = as_serializer_error(exc)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return ValidationError(detail)


def exception_handler(exc, context):
    # Same conversion DRF does internally, done first so the codes are right.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = _from_django_validation_error(exc)
    exc = throttle_refused_request(exc, context) or exc
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        detail = response.data
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        body = {
            "error": {
                "code": "invalid",
                "message": "The request contains invalid data.",
                "fields": fields,
            }
        }
    else:
        detail = getattr(exc, "detail", None)
        codes = exc.get_codes() if hasattr(exc, "get_codes") else "error"
        body = {
            "error": {
                "code": codes if isinstance(codes, str) else "error",
                "message": str(detail) if detail is not None else str(exc),
            }
        }
    response.data = body
    return response

"""One JSON shape for every API error.

    {"error": {"code": "not_found", "message": "Not found.", "fields": {...}}}

`fields` is present for validation errors and maps field names to messages.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    # Same conversion DRF does internally, done first so the codes are right.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
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

"""The OpenAPI schema documents the API's error answers, not only its successes.

drf-spectacular lists only the success code of each operation (200, 201 or 204). The
API also answers with one error shape (core.api.exceptions): 401 without valid
credentials, 403 for a role that may not do it (or staff without MFA), 404 for an
object the user may not see (the tenancy rule) or a page past the end, 400 for bad
input, 429 when throttled. A client generated from the schema, and schemathesis's
status-code check (tests/api/test_schema_fuzz.py), need those documented.
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable: not_found, invalid, ...")
    message = serializers.CharField()
    fields = serializers.DictField(
        required=False,
        help_text="Validation errors only: field name (or non_field_errors) -> messages.",
    )


class ErrorSerializer(serializers.Serializer):
    """The one JSON shape of every API error (core.api.exceptions)."""

    error = ErrorDetailSerializer()


ERROR_DESCRIPTIONS = {
    "400": "The request contains invalid data (a body or filter that does not validate), "
    "or breaks a rule (e.g. a month already submitted cannot change).",
    "401": "No valid credentials (a missing or unknown token, no session).",
    "403": "Signed in, but without the role this needs (or staff without two-factor "
    "authentication).",
    "404": "Not found, or not visible to this user (objects of other programs answer 404).",
    "429": "Too many requests: throttled.",
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's AutoSchema, adding the error responses each operation can give."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for code in self._error_codes(operation):
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code)
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        return operation

    def _error_codes(self, operation: dict) -> list[str]:
        parameters = operation.get("parameters", [])
        codes = ["401", "403", "429"]
        # An object named in the path may be invisible; a page number may be past the end.
        if any(p["in"] == "path" or p["name"] == "page" for p in parameters):
            codes.append("404")
        # A write can fail validation (its body, or the services' rules: a submitted
        # month cannot be deleted from), and so can a filter.
        if self.method not in SAFE_METHODS or any(p["in"] == "query" for p in parameters):
            codes.append("400")
        return sorted(codes)

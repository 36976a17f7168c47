"""Request body parsers: DRF's, with bad input answered as 400 rather than 500."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, but a body nested deeper than Python's parser can follow (a
    few kilobytes of "[[[[...") is a parse error (400) instead of a RecursionError (500).
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None

"""Request parsers with limits: a body is refused by its size and its nesting before it becomes data.

DRF's own parsers read the whole stream (Django checks DATA_UPLOAD_MAX_MEMORY_SIZE only for
`request.body` and form fields) and json recurses once per level, so a deep document raised a
RecursionError — a 500 — instead of an answer.
"""

import json

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.utils.json import strict_constant


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request is too large.")
    default_code = "request_too_large"


def too_large(limit: int) -> RequestTooLarge:
    return RequestTooLarge(
        _("The request body is larger than %(limit)s; send less at once.") % {"limit": megabytes(limit)}
    )


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def read_bounded(stream, parser_context) -> bytes:
    """The body, refused with 413 by its declared length before reading, or once the limit is passed."""
    limit = settings.API_MAX_BODY_BYTES
    request = (parser_context or {}).get("request")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
    except ValueError:
        declared = 0
    if declared > limit:
        raise too_large(limit)
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise too_large(limit)
    return data


def deeper_than(value, limit: int) -> bool:
    """Whether containers nest more than `limit` levels; iterative, so depth costs no stack."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def too_deep() -> ParseError:
    return ParseError(
        _("JSON parse error - the document nests more than %(limit)d levels.")
        % {"limit": settings.API_JSON_MAX_DEPTH}
    )


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = read_bounded(stream, parser_context)
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = raw.decode(encoding)
            parse_constant = strict_constant if self.strict else None
            data = json.loads(text, parse_constant=parse_constant)
        except RecursionError as exc:
            raise too_deep() from exc
        except ValueError as exc:  # UnicodeDecodeError included
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from exc
        if deeper_than(data, settings.API_JSON_MAX_DEPTH):
            raise too_deep()
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = read_bounded(stream, parser_context)
        return QueryDict(raw, encoding=parsers.get_encoding(parser_context or {}))

"""OpenAPI post-processing: every operation documents the error answers DESIGN.md §4 promises.

drf-spectacular only lists the success response; clients (and schemathesis) need to know that any
operation may answer 401 without credentials, 403 for a role that may not, 404 out of scope, 400 with
field errors on a write, 405 for an unsupported method, 413 for a body over the upload limits, 415 for an
unsupported body type and 429 when throttled.
"""

ERROR_SCHEMA = {  # core.api.errors: one shape per kind of error, whatever raised it
    "type": "object",
    "description": (
        "401/403/404/405/413/415/429: `detail`, one message. 400: field name → list of messages; errors "
        "about the request as a whole (an illegal state change, a rule across fields) under "
        "`non_field_errors`."
    ),
    "properties": {
        "detail": {"type": "string"},
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
    },
    # field → messages; a nested serializer's errors nest the same way
    "additionalProperties": True,
}

ERRORS = {
    "400": "Invalid input: field errors, or an illegal state transition with the reason.",
    "401": "No or invalid credentials.",
    "403": "The role may not do this.",
    "404": "Not found, or out of the user's scope.",
    "405": "Method not allowed.",
    "413": "The request is too large: more files or bytes than the upload limits allow.",
    "415": "Unsupported media type.",
    "429": "Too many requests (throttled).",
}
READ_ERRORS = ("400", "401", "403", "404", "405", "429")  # 400: a bad filter value
# core.idempotency: any POST may carry the header; these are its own answers.
IDEMPOTENCY_ERRORS = {
    "409": "A request with this Idempotency-Key is still running; retry later (see Retry-After).",
    "422": "This Idempotency-Key was already used for a different request (method, path or body).",
}
IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "format": "uuid"},
    "description": (
        "A client-chosen UUID, new for each distinct write. The first answer below 400 is kept for 72 hours "
        "and replayed (with `Idempotent-Replayed: true`) when the same key comes again with the same "
        "request; nothing runs twice. An error answer does not use the key up."
    ),
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular POSTPROCESSING_HOOKS entry: add the shared error responses to each operation."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR_SCHEMA)
    reference = {"$ref": "#/components/schemas/Error"}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            codes = READ_ERRORS if method == "get" else ERRORS
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(
                    code,
                    {"description": ERRORS[code], "content": {"application/json": {"schema": reference}}},
                )
            if method == "post":
                parameters = operation.setdefault("parameters", [])
                if not any(p.get("name") == IDEMPOTENCY_PARAMETER["name"] for p in parameters):
                    parameters.append(dict(IDEMPOTENCY_PARAMETER))
                for code, description in IDEMPOTENCY_ERRORS.items():
                    responses.setdefault(
                        code,
                        {"description": description, "content": {"application/json": {"schema": reference}}},
                    )
    return result

"""One shape for every error the API gives:

    404 {"detail": "Not found."}                       missing and forbidden alike
    403 {"detail": message}                            seen, but the role may not do this
    401 {"detail": "Authentication required."}
    422 {"detail": "Invalid input.", "errors": {"field.path": ["message", ...]}}
    400 {"detail": "The request body is not valid JSON."}

Messages never carry the submitted values (they may be personal data).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from icmc.access.errors import InvalidInput, NotFound, PermissionDenied

NOT_FOUND = _("Not found.")
INVALID_INPUT = _("Invalid input.")
AUTHENTICATION_REQUIRED = _("Authentication required.")
BAD_JSON = _("The request body is not valid JSON.")
NOT_AN_OBJECT = _("Send a JSON object as the request body.")

# Messages for the errors of request parsing (pydantic error types), so that none echoes the input.
_MESSAGES = {
    "missing": _("This field is required."),
    "extra_forbidden": _("Unknown field."),
    "string_type": _("Give a text value."),
    "list_type": _("Give a list."),
    "int_type": _("Enter a whole number."),
    "int_parsing": _("Enter a whole number."),
    "int_from_float": _("Enter a whole number."),
    "bool_type": _("Give true or false."),
    "bool_parsing": _("Give true or false."),
    "dict_type": _("Give a JSON object."),
    "model_type": _("Give a JSON object."),
    "model_attributes_type": _("Give a JSON object."),
    "enum": _("Not one of the allowed values."),
    "literal_error": _("Not one of the allowed values."),
    "uuid_type": _("Give a valid identifier."),
    "uuid_parsing": _("Give a valid identifier."),
    "string_pattern_mismatch": _("Not a valid code."),
}
_LIMITS = {
    "greater_than_equal": (_("Ensure this value is greater than or equal to %(limit)s."), "ge"),
    "less_than_equal": (_("Ensure this value is less than or equal to %(limit)s."), "le"),
}
_FALLBACK = _("This value is not valid.")


def field_path(loc: Sequence[Any]) -> str:
    """("body", "payload", "survivors", 0, "name") -> "survivors[0].name"; ("query", "page") -> "page".
    The location's source, and for a body the name of the view's parameter, are dropped."""
    parts = list(loc[2:] if loc and loc[0] == "body" else loc[1:])
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "__all__"


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind in _LIMITS:
        template, key = _LIMITS[kind]
        return str(template) % {"limit": error.get("ctx", {}).get(key, "")}
    return str(_MESSAGES.get(kind, _FALLBACK))


def validation_errors(errors: Sequence[dict[str, Any]]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for error in errors:
        path = field_path(error.get("loc", ()))
        message = str(NOT_AN_OBJECT) if path == "__all__" and error.get("loc", ())[:1] == ("body",) \
            else _message(error)
        result.setdefault(path, [])
        if message not in result[path]:
            result[path].append(message)
    return result


def _json(api: NinjaAPI, request: HttpRequest, data: dict[str, Any], status: int) -> HttpResponse:
    return api.create_response(request, data, status=status)


def install(api: NinjaAPI) -> None:
    """Register the handlers on `api`."""

    @api.exception_handler(NotFound)
    def not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
        return _json(api, request, {"detail": str(NOT_FOUND)}, 404)

    @api.exception_handler(Http404)
    def http_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _json(api, request, {"detail": str(NOT_FOUND)}, 404)

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return _json(api, request, {"detail": str(exc.message)}, 403)

    @api.exception_handler(InvalidInput)
    def invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
        errors = {path: [str(m) for m in messages] for path, messages in exc.errors.items()}
        return _json(api, request, {"detail": str(INVALID_INPUT), "errors": errors}, 422)

    @api.exception_handler(ValidationError)
    def request_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        # A malformed id in the URL is a missing object, like any other.
        if any(error.get("loc", ())[:1] == ("path",) for error in exc.errors):
            return _json(api, request, {"detail": str(NOT_FOUND)}, 404)
        return _json(api, request, {"detail": str(INVALID_INPUT), "errors": validation_errors(exc.errors)}, 422)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = _json(api, request, {"detail": str(AUTHENTICATION_REQUIRED)}, 401)
        response["WWW-Authenticate"] = 'Bearer realm="icmc"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # Ninja raises HttpError(400, "Cannot parse request body ...") for a body that is not JSON.
        message = BAD_JSON if exc.status_code == 400 and exc.message.startswith("Cannot parse") else exc.message
        return _json(api, request, {"detail": str(message)}, exc.status_code)

"""Errors that every front door (pages, API, commands) maps the same way."""


class NotFound(Exception):
    """The object does not exist or the actor may not see it. The two are never told apart."""


class PermissionDenied(Exception):
    """The actor sees the object (or no object is involved) but may not do this to it."""

    def __init__(self, message: str = "You may not do this.") -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(Exception):
    """Input failed validation. `errors` maps field paths to messages, as shown on the page and by the API."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("invalid input")
        self.errors = errors

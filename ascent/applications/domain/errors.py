class ApplicationError(Exception):
    """A change to an application that the rules do not allow; the message is for people.

    ``problems`` lists (field path, message) pairs when answers are at fault, so a page
    can show each message next to its field.
    """

    def __init__(self, message: str, *, problems: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.problems = problems or []

    @classmethod
    def at(cls, field: str, message: str) -> "ApplicationError":
        """One field's problem: ``raise ApplicationError.at("email", "…")``."""
        return cls(f"{field}: {message}", problems=[(field, message)])

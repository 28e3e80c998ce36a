class ReviewError(Exception):
    """A review-side action the rules do not allow (assignment, scoring); for people.

    ``problems`` lists (field, message) pairs when a form is at fault.
    """

    def __init__(self, message: str, *, problems: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.problems = problems or []

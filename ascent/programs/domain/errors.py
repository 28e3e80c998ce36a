class ProgramError(Exception):
    """A program or cycle set-up the rules do not allow; the message is for people.

    ``problems`` lists (path, message) pairs, e.g. the path inside a requirement's rule.
    """

    def __init__(self, message: str, *, problems: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.problems = problems or []

class ReviewError(Exception):
    """A review-side action the rules do not allow (assignment, scoring); for people."""

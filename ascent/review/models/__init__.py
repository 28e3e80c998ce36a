from .panel import Conflict, ConflictSource, Reviewer, TextEmbedding
from .review import Assignment, Review, ReviewState, Score, Shortlisted

__all__ = [
    "Assignment",
    "Conflict",
    "ConflictSource",
    "Review",
    "ReviewState",
    "Reviewer",
    "Score",
    "Shortlisted",
    "TextEmbedding",
]

from .panel import Bid, BidLevel, Conflict, ConflictSource, Reviewer, TextEmbedding
from .review import Assignment, Review, ReviewState, Score, Shortlisted

__all__ = [
    "Assignment",
    "Bid",
    "BidLevel",
    "Conflict",
    "ConflictSource",
    "Review",
    "ReviewState",
    "Reviewer",
    "Score",
    "Shortlisted",
    "TextEmbedding",
]

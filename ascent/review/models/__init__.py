from .panel import Conflict, ConflictSource, Reviewer
from .review import Assignment, Review, ReviewState, Score

__all__ = ["Assignment", "Conflict", "ConflictSource", "Review", "ReviewState", "Reviewer", "Score"]

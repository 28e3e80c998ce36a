from .decision import Decision, Outcome
from .offer import Offer, OfferState
from .run import DecisionRun

__all__ = ["Decision", "DecisionRun", "Offer", "OfferState", "Outcome"]

from .decision import Decision, Outcome
from .run import DecisionRun

__all__ = ["Decision", "DecisionRun", "Outcome"]

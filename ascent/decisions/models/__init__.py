from .decision import Decision, Outcome

__all__ = ["Decision", "Outcome"]

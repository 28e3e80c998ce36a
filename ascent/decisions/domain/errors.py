class DecisionError(Exception):
    """A decision that cannot be made or changed; the message is for people."""

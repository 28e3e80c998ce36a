"""Ascent: an open-source platform for competitive selection programs."""

__version__ = "0.1.0"

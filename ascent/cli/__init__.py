"""The ``ascent`` command line: demo, serve, world (Django management commands)."""

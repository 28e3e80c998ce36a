"""The REST API (no models of its own). Empty until the API is built."""

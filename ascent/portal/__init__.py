"""Front end for applicants, recommenders and supporters (no models of its own)."""

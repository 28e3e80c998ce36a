"""The panel: reviewers, conflicts, assignments and reviews."""

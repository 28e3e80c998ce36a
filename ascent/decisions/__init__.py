"""Decisions and, later, calibration runs, selections and gap reports."""

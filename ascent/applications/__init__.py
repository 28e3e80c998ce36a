"""Applicants and their applications, references and supporters."""

"""Mijn team: a manager's team matrix, validating levels and assigning modules."""

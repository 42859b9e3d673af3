"""Certificates: issued on completion, rendered as PDF, verified publicly, managed by HR."""

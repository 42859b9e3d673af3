"""Mandatory training: assignment rules and learning paths, the assignments they make, their
status, reminders and the compliance report."""

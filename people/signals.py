from django.dispatch import Signal

# Sent after employees were created, moved or given other roles (roster import, HR edits),
# with ``employee_ids``. Apps higher up (competencies, lms) bring what they derive from an
# employee's roles up to date.
employees_changed = Signal()

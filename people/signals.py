from django.dispatch import Signal

# Sent after employees were created, moved or given other roles (roster import, HR edits),
# with ``employee_ids``. Apps higher up (competencies, lms) bring what they derive from an
# employee's roles up to date.
employees_changed = Signal()

# Sent inside the transaction of a change that alters what many people's competence figures
# derive from: a role's parent (``role_ids``) or an organisation's settings
# (``organisation_ids``). Receivers schedule the update and return how many people it
# reaches, so that the admin can say so.
figures_inputs_changed = Signal()

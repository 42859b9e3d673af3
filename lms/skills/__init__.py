"""Mijn vaardigheden: where the learner stands, the self-assessment and the route to the
role's targets."""

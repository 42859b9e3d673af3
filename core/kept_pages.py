"""Which views render a page that may be kept for the person who asked (lms/page_cache): a
mark the views of every layer can set, read by the middleware that keeps them. What a page
shows decides which change marks its key is made of."""

# The signed-in person's own learning and what everyone sees: her marks and everyone's.
PERSONAL = "personal"
# Other people of the organisations the viewer works for or administers (a manager's team,
# HR's coverage): their organisations' marks as well.
ORGANISATIONS = "organisations"


def learner_page(view):
    """Mark a view whose page shows the signed-in person her own learning and the content
    everyone sees, and nothing of another person's: kept until any of it changes."""
    view.kept_page = PERSONAL
    return view


def overview_page(view):
    """Mark a view whose page shows people of the viewer's organisations (``organisations_seen``
    in people/access.py): kept until anything of any of them changes."""
    view.kept_page = ORGANISATIONS
    return view


def kept_page(view) -> str | None:
    """PERSONAL, ORGANISATIONS, or None for a view rendered for every request."""
    return getattr(view, "kept_page", None)

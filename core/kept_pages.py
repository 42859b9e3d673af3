"""Which views render a page that may be kept for the person who asked (lms/page_cache): a
mark the views of every layer can set, read by the middleware that keeps them."""


def learner_page(view):
    """Mark a view whose page shows the signed-in person her own learning and the content
    everyone sees, and nothing of another person's: kept until any of it changes."""
    view.learner_page = True
    return view


def is_learner_page(view) -> bool:
    return getattr(view, "learner_page", False)

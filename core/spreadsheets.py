from django.utils import translation


class ExportInRequestLanguageMixin:
    """For views with Wagtail's SpreadsheetExportMixin: a CSV is streamed after the view has
    returned, when the request's language is no longer active, so its headings would come out
    in the default language. The stream keeps the language of the request that asked for it."""

    def stream_csv(self, queryset):
        return _in_language(super().stream_csv(queryset), translation.get_language())


def _in_language(rows, language):
    # Each row is produced while the generator runs, so the language must be active around
    # every step of it, not around the yield.
    while True:
        with translation.override(language):
            row = next(rows, None)
        if row is None:
            return
        yield row

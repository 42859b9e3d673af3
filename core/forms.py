from django import forms


class DatePicker(forms.DateInput):
    """The browser's date picker. It reads and sends ISO dates (yyyy-mm-dd) in every language
    and silently drops a value in any other form, so the value is never localised here (a
    Dutch "03-12-2026" would arrive as an empty, "required" field)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")

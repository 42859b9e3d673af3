"""Ids that come from outside (an address, a filter, a form) are checked here, once, before a
query sees them.

A primary key is a 64-bit integer in every database Vaardig runs on. A number beyond that
range, such as a 30-digit id in an address someone typed, made SQLite raise OverflowError
(a 500) wherever it reached a query as a foreign key or in an ``__in`` list. The path
converter ``<id:...>`` lets such an address match nothing (404); the choice fields and
filters below turn such a value into the form error of an unknown choice; ``id_from_text``
reads one by hand.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django_filters import ModelChoiceFilter, ModelMultipleChoiceFilter
from django_filters import fields as filter_fields
from wagtail.admin.filters import WagtailFilterSet

MAX_ID = 2**63 - 1  # the largest value of a 64-bit signed integer column

_DIGITS = re.compile(r"[0-9]{1,19}")  # ASCII digits only: "²".isdigit() is true


def id_from_text(value) -> int | None:
    """The id a text names, or None for anything that cannot be one (empty, not ASCII
    digits, zero, beyond the 64-bit range)."""
    text = str(value).strip() if value is not None else ""
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class IdConverter:
    """``<id:name>`` in a URL pattern: a positive integer within the 64-bit range. Any other
    number makes the address match nothing, so it answers 404."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = id_from_text(value)
        if number is None:
            raise ValueError(value)  # Django takes this as "this pattern does not match"
        return number

    def to_url(self, value) -> str:
        return str(value)


def _keyed_by_integer(field: forms.ModelChoiceField) -> bool:
    """Whether the field's values are integer keys (an id, or a page's id through its
    parent link), the ones a database can overflow on."""
    model_field = (
        field.queryset.model._meta.get_field(field.to_field_name)
        if field.to_field_name
        else field.queryset.model._meta.pk
    )
    while model_field.remote_field is not None and hasattr(model_field, "target_field"):
        model_field = model_field.target_field
    return isinstance(model_field, models.IntegerField | models.AutoField)


class _BoundedIdsMixin:
    def _out_of_range(self, value) -> bool:
        return (
            value not in self.empty_values
            and _keyed_by_integer(self)
            and id_from_text(value) is None
        )


class IdChoiceField(_BoundedIdsMixin, forms.ModelChoiceField):
    """A model choice whose submitted id is checked to be one before it is looked up."""

    def to_python(self, value):
        if self._out_of_range(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(_BoundedIdsMixin, forms.ModelMultipleChoiceField):
    """Several model choices, each submitted id checked to be one before they are looked up."""

    def _check_values(self, value):
        for pk in value or ():
            if self._out_of_range(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


_BOUNDED_FIELDS = {
    forms.ModelChoiceField: IdChoiceField,
    forms.ModelMultipleChoiceField: IdMultipleChoiceField,
}


def ids_checked(fields: dict) -> None:
    """Let the plain model choice fields of a form (the ones a ModelForm makes for its
    relations) check their ids: each becomes the Id... field of its kind. Called by the
    admin's model form (core.admin_views.AuditedAdminForm) on every form it builds; the Id
    fields add behaviour only, no state, so the field keeps everything it was given."""
    for field in fields.values():
        bounded = _BOUNDED_FIELDS.get(type(field))
        if bounded is not None:
            field.__class__ = bounded


class _FilterIdChoiceField(_BoundedIdsMixin, filter_fields.ModelChoiceField):
    def to_python(self, value):
        if self._out_of_range(value) and not (
            self.null_label is not None and value == self.null_value
        ):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class _FilterIdMultipleChoiceField(_BoundedIdsMixin, filter_fields.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value or ():
            if self._out_of_range(pk) and not (
                self.null_label is not None and pk == self.null_value
            ):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class IdChoiceFilter(ModelChoiceFilter):
    field_class = _FilterIdChoiceField


class IdMultipleChoiceFilter(ModelMultipleChoiceFilter):
    field_class = _FilterIdMultipleChoiceField


def _with_bounded_ids(defaults: dict) -> dict:
    bounded = {ModelChoiceFilter: IdChoiceFilter, ModelMultipleChoiceFilter: IdMultipleChoiceFilter}
    return {
        db_field: {**options, "filter_class": bounded.get(options["filter_class"])}
        if options.get("filter_class") in bounded
        else options
        for db_field, options in defaults.items()
    }


class IdFilterSet(WagtailFilterSet):
    """The filter set of every admin list: the filters Wagtail builds from ``list_filter``
    for relations check their ids (see IdChoiceFilter)."""

    FILTER_DEFAULTS = _with_bounded_ids(WagtailFilterSet.FILTER_DEFAULTS)

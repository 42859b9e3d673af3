from django import forms
from django.utils.translation import gettext_lazy as _


class KnowledgeCheckForm(forms.Form):
    """The answers to the questions of one lesson, as posted by the plain HTML form: one field
    ``question-<block id>`` per question with the chosen option ids."""

    attempt = forms.IntegerField(min_value=1, max_value=1000)

    def __init__(self, *args, questions: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.question_ids = list(questions)
        for question_id, question in questions.items():
            choices = [
                (child.id, child.value["text"]) for child in question["options"].bound_blocks
            ]
            field_class = (
                forms.MultipleChoiceField if question["kind"] == "multiple" else forms.ChoiceField
            )
            self.fields[f"question-{question_id}"] = field_class(
                choices=choices,
                error_messages={
                    "required": _("Answer every question before you submit."),
                    "invalid_choice": _("The answers do not belong to this lesson."),
                },
            )

    def answers(self) -> dict[str, list[str]]:
        answers = {}
        for question_id in self.question_ids:
            value = self.cleaned_data[f"question-{question_id}"]
            answers[question_id] = value if isinstance(value, list) else [value]
        return answers

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content.models import LessonPage, ModulePage
from content.translations import live_translation
from core.kept_pages import learner_page
from lms.learning import my_learning as learning_overview
from lms.learning import selectors, services
from lms.learning.forms import KnowledgeCheckForm


def _live_page(model, pk, request):
    """A live page the user may see; anything else (draft, unknown id, restricted, another
    organisation's own module or its lessons) is a 404."""
    page = model.objects.live().available_to(request.user).filter(pk=pk).first()
    if page is None or not _viewable(page, request):
        raise Http404
    return page


def _viewable(page, request) -> bool:
    return all(r.accept_request(request) for r in page.get_view_restrictions())


@login_required
@require_POST
def module_start(request, module_id):
    module = _live_page(ModulePage, module_id, request)
    start = services.enrolment_renew if request.POST.get("renew") else services.enrolment_start
    try:
        enrolment = start(learner=request.user, module=module, acting_user=request.user)
    except services.LearningError as error:
        messages.error(request, str(error))
        return redirect(module.url)
    lesson = selectors.continue_lessons(enrolments=[enrolment], learner=request.user).get(
        enrolment.pk
    )
    if lesson is not None:  # the lesson to read next, in the reader's language
        lesson = live_translation(lesson, get_language()) or lesson
    return redirect(lesson.url if lesson else module.url)


@login_required
@require_POST
def lesson_read(request, lesson_id):
    lesson = _live_page(LessonPage, lesson_id, request)
    progress = services.lesson_mark_read(
        learner=request.user, lesson=lesson, acting_user=request.user
    )
    if not progress.completed_at:
        messages.info(request, _("Lesson read. Pass the knowledge check to finish the lesson."))
        return redirect(lesson.url + "#knowledge-check")
    position = lesson.position()
    if progress.enrolment.is_completed and position["next_lesson"] is None:
        messages.success(
            request,
            _("Well done: you have completed “%(module)s”.") % {"module": position["module"].title},
        )
        return redirect(position["module"].url)
    return redirect((position["next_lesson"] or position["module"]).url)


@login_required
@require_POST
def attempt_submit(request, lesson_id):
    lesson = _live_page(LessonPage, lesson_id, request)
    form = KnowledgeCheckForm(request.POST, questions=lesson.questions())
    if "attempt" in form.errors:
        return HttpResponseBadRequest()
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect(lesson.url + "#knowledge-check")
    try:
        attempt = services.attempt_submit(
            learner=request.user,
            lesson=lesson,
            number=form.cleaned_data["attempt"],
            answers=form.answers(),
            acting_user=request.user,
        )
    except services.LearningError as error:
        messages.error(request, str(error))
        return redirect(lesson.url + "#knowledge-check")
    return redirect(f"{lesson.url}#attempt-{attempt.number}")


@learner_page
@login_required
def my_learning(request):
    return render(
        request, "lms/my_learning.html", learning_overview.my_learning(learner=request.user)
    )

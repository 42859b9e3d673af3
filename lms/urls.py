from django.urls import path

from lms.certificates import views as certificate_views
from lms.dashboard import views as dashboard_views
from lms.learning import views
from lms.skills import views as skills_views
from lms.team import views as team_views

app_name = "lms"
urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("modules/<id:module_id>/start/", views.module_start, name="module_start"),
    path("lessen/<id:lesson_id>/gelezen/", views.lesson_read, name="lesson_read"),
    path("lessen/<id:lesson_id>/kennischeck/", views.attempt_submit, name="attempt_submit"),
    path("certificaten/", certificate_views.my_certificates, name="my_certificates"),
    path(
        "certificaten/<id:certificate_id>/pdf/",
        certificate_views.certificate_download,
        name="certificate_download",
    ),
    path("certificaten/overzicht.pdf", certificate_views.transcript, name="transcript"),
    path("vaardigheden/", skills_views.my_skills, name="my_skills"),
    path(
        "vaardigheden/<id:competence_id>/zelfbeoordeling/",
        skills_views.self_assessment,
        name="self_assessment",
    ),
    path(
        "vaardigheden/gebied/<int:area_id>/zelfbeoordeling/",
        skills_views.self_assessment_area,
        name="self_assessment_area",
    ),
    path("team/", team_views.team, name="team"),
    path("team/toewijzen/", team_views.team_assign, name="team_assign"),
    path("team/<id:employee_id>/", team_views.team_member, name="team_member"),
    path(
        "team/<id:employee_id>/valideren/<id:competence_id>/",
        team_views.team_member_validate,
        name="team_member_validate",
    ),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/dashboard.pdf", dashboard_views.dashboard_pdf, name="dashboard_pdf"),
]

from django.urls import path

from lms import views

app_name = "lms"
urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("modules/<int:module_id>/start/", views.module_start, name="module_start"),
    path("lessen/<int:lesson_id>/gelezen/", views.lesson_read, name="lesson_read"),
    path("lessen/<int:lesson_id>/kennischeck/", views.attempt_submit, name="attempt_submit"),
]

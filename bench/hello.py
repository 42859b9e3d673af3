"""Django's hello-world, the yardstick of bench/pages.py: a project as `startproject` makes it
(its default middleware), one view that answers "Hello, world", served by the same gunicorn
with the same number of workers as Vaardig in the same run."""

from django.http import HttpResponse
from django.urls import path

SECRET_KEY = "hello-world-of-the-page-bench-not-a-secret-of-any-installation-0123456789"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "hello"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
DATABASES = {}
USE_TZ = True


def hello(request):
    return HttpResponse("Hello, world")


urlpatterns = [path("", hello)]

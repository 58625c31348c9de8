from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def ping(request):
    """The ceiling: Django's request cycle, no database."""
    return JsonResponse({"status": "ok"})


urlpatterns = [path("bench/ping/", ping), *project_urlpatterns]

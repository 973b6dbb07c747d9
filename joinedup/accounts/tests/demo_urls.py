"""The project's routes as DEMO_MODE=true would have them (the demo routes are added at import)."""

from django.urls import include, path

from joinedup.config.urls import handler400, handler403, handler404, handler500
from joinedup.config.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("demo/", include("joinedup.demo.urls"))]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

"""Forum, membership and meeting pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

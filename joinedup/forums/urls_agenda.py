"""Agenda, research, the meeting itself, minutes and the dashboard."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""Forum, membership and meeting pages."""

from django.urls import URLPattern, path

from joinedup.forums.views import forum_pages, meetings

urlpatterns: list[URLPattern] = [
    path("", forum_pages.forum_list, name="list"),
    path("<uuid:forum_id>/", forum_pages.forum_detail, name="detail"),
    path("<uuid:forum_id>/edit", forum_pages.forum_edit, name="edit"),
    path("<uuid:forum_id>/members/add", forum_pages.member_add, name="member_add"),
    path("<uuid:forum_id>/members/<uuid:membership_id>/contact", forum_pages.member_contact, name="member_contact"),
    path("<uuid:forum_id>/members/<uuid:membership_id>/end", forum_pages.member_end, name="member_end"),
    path("<uuid:forum_id>/series/new", meetings.series_new, name="series_new"),
    path("<uuid:forum_id>/meetings.ics", meetings.forum_ics, name="forum_ics"),
    path("meetings/<uuid:meeting_id>.ics", meetings.meeting_ics, name="meeting_ics"),
    path("meetings/<uuid:meeting_id>/move", meetings.meeting_move, name="meeting_move"),
    path("meetings/<uuid:meeting_id>/cancel", meetings.meeting_cancel, name="meeting_cancel"),
]

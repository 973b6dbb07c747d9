from django.urls import path

from joinedup.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility", views.accessibility, name="accessibility"),
]

from django.urls import path

from joinedup.demo import views

app_name = "demo"

urlpatterns = [path("personas", views.personas, name="personas")]

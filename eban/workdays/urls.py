from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("calendar/deadline/", views.calculator, name="calculator"),
]

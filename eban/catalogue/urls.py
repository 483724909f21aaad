from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.home, name="home"),
    path("matters/", views.browse, name="browse"),
    path("matters/<str:code>/", views.guide, name="guide"),
    path("search/", views.search, name="search"),
]

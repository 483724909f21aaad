from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/<str:code>/", views.new, name="new"),
    path("check/<str:code>/", views.check, name="check"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/certificate.pdf", views.certificate_pdf, name="certificate"),
    path("<str:number>/certificate-status/", views.certificate_status, name="certificate_status"),
    path("<str:number>/resubmit/", views.resubmit, name="resubmit"),
    path("<str:number>/rate/", views.rate, name="rate"),
]

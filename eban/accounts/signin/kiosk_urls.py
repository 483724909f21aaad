from django.urls import path

from ..signin import kiosk_views as views

app_name = "kiosk"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/card/", views.card, name="card"),
    path("sign-in/face/", views.face_start, name="face_start"),
    path("sign-in/face/consent/", views.face_consent, name="face_consent"),
    path("sign-in/face/camera/", views.face_camera, name="face_camera"),
    path("sign-in/face/check/", views.face_check, name="face_check"),
    path("welcome/", views.welcome, name="welcome"),
    path("sign-out/", views.sign_out, name="sign_out"),
]

"""/kiosk/: the kiosk app served to terminals, with the sign-in pages of eban.accounts inside it
(each told the terminal it runs on; the welcome page counts the sign-in and leads into the app)."""

from django.urls import path

from eban.accounts.signin import kiosk_views as sign_in

from . import views

app_name = "kiosk"
urlpatterns: list = [
    path("", views.home, name="home"),
    path("pair/<str:value>/", views.pair, name="pair"),
    path("categories/<str:value>/", views.category, name="category"),
    path("matters/<str:code>/", views.matter, name="matter"),
    path("matters/<str:code>/apply/", views.apply, name="apply"),
    path("cases/<str:number>/", views.case, name="case"),
    path("cases/<str:number>/status/", views.case_status, name="case_status"),
    path("cases/<str:number>/certificate.pdf", views.certificate, name="certificate"),
    # The sign-in pages (eban.accounts.signin.kiosk_views), as eban/accounts/kiosk_urls.py names them.
    path("sign-in/", sign_in.sign_in, name="sign_in"),
    path("sign-in/card/", views.at_terminal(sign_in.card), name="card"),
    path("sign-in/face/", views.at_terminal(sign_in.face_start), name="face_start"),
    path("sign-in/face/consent/", views.at_terminal(sign_in.face_consent), name="face_consent"),
    path("sign-in/face/camera/", views.at_terminal(sign_in.face_camera), name="face_camera"),
    path("sign-in/face/check/", views.at_terminal(sign_in.face_check), name="face_check"),
    path("welcome/", views.welcome, name="welcome"),
    path("sign-out/", sign_in.sign_out, name="sign_out"),
]

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/code/", views.sign_in_code, name="sign_in_code"),
    path("sign-in/real-name/", views.sign_in_real_name, name="sign_in_real_name"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("proxies/", views.proxies, name="proxies"),
    path("proxies/new/", views.proxy_new, name="proxy_new"),
    path("proxies/<int:pk>/", views.proxy_detail, name="proxy"),
    path("proxies/<int:pk>/revoke/", views.proxy_revoke, name="proxy_revoke"),
    path("enterprises/", views.enterprises, name="enterprises"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise"),
    path("enterprises/<int:pk>/agents/new/", views.agent_new, name="agent_new"),
    path("enterprises/<int:pk>/agents/<int:grant_pk>/", views.agent_detail, name="agent"),
    path("enterprises/<int:pk>/agents/<int:grant_pk>/revoke/", views.agent_revoke, name="agent_revoke"),
]

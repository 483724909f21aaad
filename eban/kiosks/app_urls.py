"""/kiosk/: the kiosk app served to terminals, with the sign-in pages of eban.accounts."""

from eban.accounts.kiosk_urls import urlpatterns as sign_in_patterns

app_name = "kiosk"
urlpatterns: list = [*sign_in_patterns]

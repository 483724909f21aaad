app_name = "kiosks"
urlpatterns: list = []

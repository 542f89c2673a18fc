from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "maille.web"
    label = "web"

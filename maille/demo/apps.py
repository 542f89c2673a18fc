from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "maille.demo"
    label = "demo"

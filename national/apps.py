from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "national"
    verbose_name = "National-scale data set for benchmarks and demos"

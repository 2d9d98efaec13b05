"""Settings for the benchmarks and the national data set: the portal's own settings, read from
the environment as in production, with the generator (``national``, never installed in
production) and a URLconf that adds the benchmark's floor view to the portal's pages.

    DJANGO_SETTINGS_MODULE=benchmarks.bench_settings python manage.py generate_national_dataset ...
"""

from schoolimprovement.settings import *  # noqa: F403 -- every setting of the portal, unchanged
from schoolimprovement.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "national"]
ROOT_URLCONF = "benchmarks.bench_urls"

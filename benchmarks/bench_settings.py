"""Settings for ``benchmarks/pages.py``: the portal's own settings, read from the environment as
in production, with a URLconf that adds the benchmark's floor view to the portal's pages."""

from schoolimprovement.settings import *  # noqa: F403 -- every setting of the portal, unchanged

ROOT_URLCONF = "benchmarks.bench_urls"

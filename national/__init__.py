"""A national-scale data set for benchmarks and demos: about 22,000 schools with ten years of
inspections, performance data and case work, drawn from the shapes of the real files in ``data/``.

No models of its own: ``national.generator.generate`` fills the other apps' tables.
"""

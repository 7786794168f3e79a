"""The package list, derived from the tree: every folder with an `__init__.py` under the
repository root (which is the package `relayout`), except the fuzzers, which need
hypothesis and stay out of the distribution (an editable install still imports them)."""

from setuptools import find_packages, setup

NOT_SHIPPED = ["fuzz", "fuzz.*", "test", "test.*", "bench", "bench.*", "examples", "build"]

setup(packages=["relayout", *(f"relayout.{p}" for p in find_packages(".", exclude=NOT_SHIPPED))])

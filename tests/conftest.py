"""Shared test configuration: Hypothesis profiles.

``default`` keeps the suite quick; ``ci`` (``HYPOTHESIS_PROFILE=ci``) searches harder.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from helpers import PROFILE

settings.register_profile(
    "default",
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(PROFILE)

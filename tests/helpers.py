"""Helpers shared by the tests: the Hypothesis profile, fresh processes, shuffled dossiers."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

from villes_label import Dossier

if TYPE_CHECKING:
    import random

# The Hypothesis profile (see conftest.py): "default" keeps the suite quick, "ci" searches
# harder. The few brute-force checks that are not Hypothesis tests follow it too.
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
THOROUGH = PROFILE == "ci"

SEEDS = ("0", "1", "4242")


def run_python(*args: str, seed: str = "0", check: bool = True) -> subprocess.CompletedProcess[str]:
    """``python *args`` in a fresh process with ``PYTHONHASHSEED=seed``."""
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, check=check
    )


def same_output_across_seeds(*args: str, seeds: tuple[str, ...] = SEEDS) -> str:
    """The standard output of ``python *args``, checked identical under every seed."""
    outputs = {run_python(*args, seed=seed).stdout for seed in seeds}
    assert len(outputs) == 1, f"the output differs across PYTHONHASHSEED values {seeds}"
    return outputs.pop()


def shuffled(dossier: Dossier, rng: random.Random) -> Dossier:
    """The same dossier with its entries and its actions in another order."""
    entries = list(dossier.services.items())
    rng.shuffle(entries)
    actions = list(dossier.actions)
    rng.shuffle(actions)
    return Dossier(
        territory=dossier.territory,
        year=dossier.year,
        services=dict(entries),
        actions=tuple(actions),
    )

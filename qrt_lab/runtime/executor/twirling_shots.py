"""How a shot budget splits into randomizations (the official rule, same numbers)."""

from __future__ import annotations

import math

__all__ = ["calculate_twirling_shots"]


def calculate_twirling_shots(
    pub_shots: int, num_randomizations: int | str, shots_per_randomization: int | str
) -> tuple[int, int]:
    """``(num_randomizations, shots_per_randomization)`` for ``pub_shots`` shots.

    With both "auto": ``max(64, ceil(shots / 32))`` shots per randomization and as many
    randomizations as cover the shots; a fixed value on one side sets the other.
    """
    if num_randomizations == "auto" and shots_per_randomization == "auto":
        per = max(64, math.ceil(pub_shots / 32))
        return math.ceil(pub_shots / per), per
    if num_randomizations == "auto":
        per = int(shots_per_randomization)
        return math.ceil(pub_shots / per), per
    if shots_per_randomization == "auto":
        count = int(num_randomizations)
        return count, math.ceil(pub_shots / count)
    return int(num_randomizations), int(shots_per_randomization)

"""Nothing lost while the tracker store fails: a small soak through the real stack (the full
one, 2,000 messages from 200 people, is `bench/soak.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.soak import run_soak


def test_every_message_reaches_the_tracker_once_and_every_danger_has_its_case(tmp_path: Path) -> None:
    result = run_soak(tmp_path, people=30, per_person=6, failure_rate=0.05)
    assert result.sent == 180 and result.refused == 0
    assert result.missing == 0 and result.duplicated == 0 and result.in_tracker_once == 180
    assert result.danger_people == 6 and result.danger_without_case == 0

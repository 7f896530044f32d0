from __future__ import annotations

import pytest

from waypoint.careteam.rules.suggestion import (
    RULES_VERSION,
    Candidate,
    distribute,
    suggest_key_worker,
)


def test_no_candidates_gives_no_suggestion() -> None:
    assert suggest_key_worker([]) is None


def test_smallest_caseload_is_suggested() -> None:
    found = suggest_key_worker(
        [Candidate(1, "Ann", 40), Candidate(2, "Bob", 39), Candidate(3, "Cat", 41)]
    )
    assert found is not None
    assert found.user_id == 2
    assert found.rules_version == RULES_VERSION
    assert "39" in found.why


def test_ties_go_by_name_then_id_so_the_suggestion_is_stable() -> None:
    found = suggest_key_worker([Candidate(9, "bea", 10), Candidate(4, "Ann", 10)])
    assert found is not None and found.user_id == 4
    found = suggest_key_worker([Candidate(9, "Ann", 10), Candidate(4, "Ann", 10)])
    assert found is not None and found.user_id == 4


def test_someone_on_leave_is_passed_over_even_with_a_smaller_caseload() -> None:
    found = suggest_key_worker([Candidate(1, "Ann", 0, on_leave=True), Candidate(2, "Bob", 80)])
    assert found is not None and found.user_id == 2


def test_when_everyone_is_on_leave_the_smallest_caseload_is_suggested_and_said() -> None:
    found = suggest_key_worker(
        [Candidate(1, "Ann", 5, on_leave=True), Candidate(2, "Bob", 3, on_leave=True)]
    )
    assert found is not None and found.user_id == 2
    assert "on leave" in found.why


def test_distribute_balances_a_caseload_across_colleagues() -> None:
    targets = distribute(5, [Candidate(1, "Ann", 10), Candidate(2, "Bob", 8)])
    # Bob takes two to reach 10, then they alternate by name.
    assert targets == [2, 2, 1, 2, 1]


def test_distribute_needs_someone_to_distribute_to() -> None:
    with pytest.raises(ValueError, match="no candidates"):
        distribute(1, [])
    assert distribute(0, []) == []

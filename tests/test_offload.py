"""Blocking work leaves the event loop: PDF rendering runs in a child process."""

from __future__ import annotations

import os

import pytest

from workshop.offload import SubprocessFailed, in_subprocess


def test_a_call_runs_in_another_process_and_its_result_comes_back():
    assert in_subprocess("os:getpid") != os.getpid()
    from workshop.export.typography import typography

    assert (
        in_subprocess("workshop.export.typography:typography", "Prêt ? Oui !", "fr")
        == typography("Prêt ? Oui !", "fr")
        != "Prêt ? Oui !"
    )


def test_a_failing_call_raises_with_the_childs_error():
    with pytest.raises(SubprocessFailed, match="ZeroDivisionError"):
        in_subprocess("operator:truediv", 1, 0)


def test_the_worker_stays_warm_between_calls_and_is_replaced_when_it_dies():
    import signal

    from workshop.offload import worker_pid

    first = in_subprocess("os:getpid")
    assert in_subprocess("os:getpid") == first == worker_pid()  # the same process: no new Python per call
    os.kill(first, signal.SIGKILL)
    try:  # the call that finds it dead either says so or already gets a fresh worker…
        again = in_subprocess("os:getpid")
    except SubprocessFailed:
        again = in_subprocess("os:getpid")  # …and the next one surely does
    assert again not in (first, None)


def test_a_worker_that_grew_past_its_memory_cap_is_replaced_after_its_call(monkeypatch):
    from workshop import offload

    first = in_subprocess("os:getpid")
    monkeypatch.setattr(offload, "MAX_RSS_BYTES", 1)
    assert in_subprocess("os:getpid") == first  # the call is answered, then the worker goes
    monkeypatch.undo()
    assert in_subprocess("os:getpid") != first


def test_a_call_past_its_timeout_fails_and_the_next_one_works():
    with pytest.raises(SubprocessFailed, match="timed out"):
        in_subprocess("time:sleep", 5, timeout=0.5)
    assert in_subprocess("operator:add", 2, 3) == 5


def test_the_worker_yields_the_cpu_to_the_server():
    """Rendering competes with the boards for the CPU: the worker runs at a lower priority."""
    from workshop import offload

    pid = in_subprocess("os:getpid")
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    assert os.getpriority(os.PRIO_PROCESS, pid) == min(19, mine + offload.WORKER_NICENESS)

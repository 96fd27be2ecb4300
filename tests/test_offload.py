"""Blocking work leaves the event loop: PDF rendering runs in a child process."""
from __future__ import annotations

import os

import pytest

from workshop.offload import SubprocessFailed, in_subprocess


def test_a_call_runs_in_another_process_and_its_result_comes_back():
    assert in_subprocess("os:getpid") != os.getpid()
    from workshop.export.typography import typography

    assert in_subprocess("workshop.export.typography:typography", "Prêt ? Oui !", "fr") == \
        typography("Prêt ? Oui !", "fr") != "Prêt ? Oui !"


def test_a_failing_call_raises_with_the_childs_error():
    with pytest.raises(SubprocessFailed, match="ZeroDivisionError"):
        in_subprocess("operator:truediv", 1, 0)

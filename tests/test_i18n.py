"""The two catalogues say the same things: same keys, same placeholders, a message per error code."""
from __future__ import annotations

import re

import pytest

from workshop.errors import HTTP_STATUS
from workshop.i18n import EN, FR


def test_french_and_english_have_the_same_keys():
    assert sorted(set(FR) ^ set(EN)) == []


@pytest.mark.parametrize("key", sorted(FR))
def test_each_string_has_the_same_placeholders_in_both_languages(key):
    names = re.compile(r"\{(\w+)\}")
    assert sorted(names.findall(FR[key])) == sorted(names.findall(EN[key]))


@pytest.mark.parametrize("code", sorted(HTTP_STATUS))
def test_every_error_code_has_a_message_a_person_can_read(code):
    assert FR.get(f"error.{code}") and EN.get(f"error.{code}")

"""The one headline rule, shared by the split stage and the label model."""

import pytest

from pipeline.text.articles import is_headline


@pytest.mark.parametrize(("text", "expected"), [
    ("Security Guarantees", True),
    ("Europe weighs a force.", False),
    ("Who said it?", False),
    ('He called it "a backstop."', False),
    ('What Starmer means by a "backstop"', True),
    ("Leaders gather in Paris as talks drag on...", True),
    ("Briefly: what next", True),
])
def test_a_short_line_without_final_punctuation_is_a_headline(text, expected):
    assert is_headline(text, max_words=30) is expected


def test_a_long_line_is_never_a_headline():
    assert not is_headline(" ".join(["word"] * 31), max_words=30)
    assert is_headline(" ".join(["word"] * 30), max_words=30)

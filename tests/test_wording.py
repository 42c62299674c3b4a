"""The one rule for lists in the sentences the book computes."""
import pytest

from rnnlib.statistics.wording import series


@pytest.mark.parametrize("items, text", [(["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b and c"),
                                         ((x for x in (1, 2.5, "$K$")), "1, 2.5 and $K$")])
def test_series_joins_items_as_an_english_list(items, text):
    assert series(items) == text


def test_series_refuses_an_empty_list():
    with pytest.raises(ValueError, match="at least one item, got none"):
        series([])

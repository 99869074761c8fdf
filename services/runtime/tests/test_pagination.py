import pytest

from runtime.pagination import MAX_PAGE_SIZE, PageTokenError, decode_token, encode_token, page_size


def test_token_round_trip_and_empty_token_is_the_first_page():
    assert decode_token(encode_token(["0356", "999900019"]), 2) == ["0356", "999900019"]
    assert decode_token("", 2) is None


@pytest.mark.parametrize("token", ["not base64!", encode_token(["only-one"]), "bm9wZQ=="])
def test_foreign_tokens_are_refused(token):
    with pytest.raises(PageTokenError):
        decode_token(token, 2)


def test_page_size_is_bounded():
    assert page_size(0) == 50
    assert page_size(10_000) == MAX_PAGE_SIZE
    with pytest.raises(PageTokenError):
        page_size(-1)

import pytest

from runtime.pagination import MAX_PAGE_SIZE, Page, PageTokenError, decode_token, encode_token, page_size, read_limit


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


def test_a_page_read_one_row_long_knows_whether_rows_follow_it():
    rows = [str(n) for n in range(10)]
    for limit, total, more in ((5, 10, True), (5, 5, False), (5, 6, True), (5, 0, False), (10, 10, False)):
        read = rows[:total][: read_limit(limit)]  # what a query with LIMIT read_limit(limit) returns
        page = Page.of(read, limit)
        assert page.rows == rows[: min(total, limit)] and page.more is more, (limit, total)
        assert page.token(lambda r: [r]) == (encode_token([rows[limit - 1]]) if more else "")

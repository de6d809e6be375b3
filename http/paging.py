"""Limits and pagination headers, as the reference server sends them."""

MAX_PAGE = 1000


def page_limit(limit: int) -> int:
    """A page size the server will honour: between 1 and MAX_PAGE."""
    return min(max(limit, 1), MAX_PAGE)


def pagination_headers(total: int, offset: int, returned: int) -> dict[str, str]:
    following = offset + returned
    headers = {"X-Pagination-Total": str(total)}
    if following < total:
        headers["X-Pagination-Next"] = str(following)
    return headers

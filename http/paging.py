"""Limits and pagination headers, as the reference server sends them."""

MAX_PAGE = 1000
BEYOND_ANY = 2**62  # an offset or log position past any table or log, that still fits a 64-bit integer


def page_limit(limit: int) -> int:
    """A page size the server will honour: between 1 and MAX_PAGE."""
    return min(max(limit, 1), MAX_PAGE)


def page_offset(offset: int) -> int:
    """An offset the database can take: between 0 and BEYOND_ANY (which finds nothing)."""
    return min(max(offset, 0), BEYOND_ANY)


def pagination_headers(total: int, offset: int, returned: int) -> dict[str, str]:
    following = page_offset(offset) + returned
    headers = {"X-Pagination-Total": str(total)}
    if following < total:
        headers["X-Pagination-Next"] = str(following)
    return headers

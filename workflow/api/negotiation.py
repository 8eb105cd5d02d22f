"""Which format a client gets a language version in: `?format=` when it says, or else the best
the `Accept` header allows among the exports' formats (HTTP's content negotiation: the highest
`q`, the most specific media range deciding each format's `q`; JSON when nothing is said)."""

import re

from workflow.api.http import ApiError
from workflow.exports import FORMATS, MEDIA_TYPES

OFFERED = tuple(MEDIA_TYPES[name] for name in FORMATS)
# The order a tie is settled in: the ninjs document first, as the API's default.
PREFERRED = ("json", "html", "md")
ALSO_CALLED = {"markdown": "md", "ninjs": "json", "htm": "html"}
_QUALITY = re.compile(r"0(\.\d{0,3})?|1(\.0{0,3})?", re.ASCII)


def chosen_format(asked: str | None, accept: str) -> str:
    """The export format (`json`, `html`, `md`) for `?format=` (`asked`) or the `Accept` header;
    422 for a format the desk has no writer for, 406 when `Accept` allows none."""
    if asked is not None:
        name = asked.strip().lower()
        name = ALSO_CALLED.get(name, name)
        if name not in FORMATS:
            raise ApiError(
                422, f"There is no format {asked.strip()[:20]!r}: ask for json, html or md."
            )
        return name
    ranges = _media_ranges(accept)
    if not ranges:
        return PREFERRED[0]
    quality = {name: _quality_of(MEDIA_TYPES[name], ranges) for name in PREFERRED}
    best = max(PREFERRED, key=lambda name: quality[name])  # the first of the best, on a tie
    if quality[best] <= 0:
        raise ApiError(
            406, f"A version is given as {', '.join(OFFERED)}; the Accept header allows none "
            "of them (or say ?format=json, html or md)."
        )  # fmt: skip
    return best


def _media_ranges(accept: str) -> list[tuple[str, float]]:
    """The header's media ranges with their `q` (1 unless said; a `q` that is not one of
    HTTP's, such as `q=high`, counts as 0: that range is not taken)."""
    ranges = []
    for item in accept.split(","):
        media, *parameters = item.split(";")
        media = media.strip().lower()
        if "/" not in media:
            continue
        quality = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                value = value.strip()
                quality = float(value) if _QUALITY.fullmatch(value) else 0.0
        ranges.append((media, quality))
    return ranges


def _quality_of(media_type: str, ranges: list[tuple[str, float]]) -> float:
    """The `q` the most specific matching range gives `media_type` (0 when none matches)."""
    kind = media_type.split("/")[0]
    by_range = dict(ranges)
    for candidate in (media_type, f"{kind}/*", "*/*"):
        if candidate in by_range:
            return by_range[candidate]
    return 0.0

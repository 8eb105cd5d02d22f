"""The desk's addresses as people outside it follow them: a story on the desk, linked from a
webhook's event or the HTTP API's answer.

The desk cannot know the address people reach it by (a proxy, a newsroom's host name), so it
is configured: `LOCKSTEP_BASE_URL` in the environment, else a desk on this machine's port.
"""

import os
from urllib.parse import urlencode

DEFAULT_BASE_URL = "http://localhost:8501"


def base_url() -> str:
    """Where people reach the desk, without a trailing slash."""
    return (os.environ.get("LOCKSTEP_BASE_URL", "").strip() or DEFAULT_BASE_URL).rstrip("/")


def desk_url(story_id: int, lang: str | None = None) -> str:
    """The desk's address of a story (in a language's view): `…/desk?story=12&view=uk`, as the
    desk itself puts it in the address bar (`ui/story_url.py`), on `base_url()`. Never the
    host a request named: that is the caller's to choose, and a link must not be."""
    params: dict[str, str | int] = {"story": story_id} | ({"view": lang} if lang else {})
    return f"{base_url()}/desk?{urlencode(params)}"

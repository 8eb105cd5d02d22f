"""Lockstep's domain core: stories, their translations and the review loop, without any UI."""

LANGUAGES: dict[str, str] = {"ru": "Russian", "uk": "Ukrainian"}
"""Target languages of every story, by code, with the name people see."""

"""Exports at the desk: the approved text of a language version, downloaded for the site."""

from functools import partial

import streamlit as st

from workflow.exports import MEDIA_TYPES, PublishedVersion, published_version
from workflow.exports import WRITERS as EXPORT_WRITERS
from workflow.ui.common import attempt, db, md


def export_buttons(story_id: int, lang: str, refusals: list[str]) -> None:
    """Downloads of the approved text, for the site: Markdown, clean HTML, JSON; while the site
    may not have the version (`refusals`, the gate Publish asks too), why not instead."""
    if refusals:
        said = " ".join(refusals)
        st.caption(md(":material/block: Publishing and the downloads for the site wait: {}", said))
        return
    with db() as session:
        version = attempt(partial(published_version, session, story_id, lang))
    if version is not None:
        download_buttons(version)


def download_buttons(version: PublishedVersion) -> None:
    """One download button a format, each with the version written out in it."""
    with st.container(horizontal=True):
        for name, write in EXPORT_WRITERS.items():
            st.download_button(
                name.upper(),
                data=write(version).encode("utf-8"),
                file_name=f"story-{version.story_id}-{version.lang}.{name}",
                mime=MEDIA_TYPES[name],
                key=f"export-{name}-{version.lang}",
                icon=":material/download:",
            )

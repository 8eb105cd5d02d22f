"""The Administration page's notifications: the desk's chat channel (its incoming-webhook
address), and the notifications sent lately with what became of each, listed as the webhook
deliveries are."""

from functools import partial

import streamlit as st

from workflow.models import JobState, Person, Timing
from workflow.notify.choices import (
    CHANNEL_LABELS,
    KIND_LABELS,
    chat_channel,
    fingerprint,
    set_chat_channel,
    shown_address,
)
from workflow.notify.recent import Sent, recent_notifications
from workflow.ui.common import attempt, db, format_time, md
from workflow.ui.webhooks import STATUS, attempts_said

ss = st.session_state
SHOWN = 20
CHANNEL_SEEN, CHANNEL_SAVE, CHANNEL_BOX = "chat_channel_seen", "chat_channel_save", "chat_channel"
CHANNEL_CLEAR, CHANNEL_SAID = "chat_channel_clear", "chat_channel_said"


def notifications_section(person: Person) -> None:
    """The chat channel and the recent notifications, for an administrator."""
    st.subheader("Notifications")
    _channel(person)
    _recent()


def _channel(person: Person) -> None:
    with db() as session:
        stored = chat_channel(session)
    # The address as the page drew it (its fingerprint: the session keeps no key), handed back
    # as `seen` on Save: another administrator may have set another since.
    now = fingerprint(stored)
    drawn = ss.get(CHANNEL_SEEN, now) if ss.get(CHANNEL_SAVE) else now
    ss[CHANNEL_SEEN] = drawn
    if stored:
        st.caption(
            md(
                "The desk's chat channel: {} (the rest of the address is its key, not shown). "
                "People choose on their Settings page what they hear of there.",
                shown_address(stored),
            )
        )
    else:
        st.caption(
            "The desk has no chat channel. Give the incoming-webhook address of a Slack, "
            "Mattermost or Microsoft Teams channel to have notifications posted there."
        )
    if ss.pop(CHANNEL_CLEAR, False):
        ss[CHANNEL_BOX] = ""  # the address holds the channel's key: never left in the box
    if said := ss.pop(CHANNEL_SAID, None):
        st.success(md("{}", said))
    with st.form("chat_channel_form"):
        typed = st.text_input(
            "Chat channel address",
            key=CHANNEL_BOX,
            placeholder="https://hooks.slack.com/services/…",
            help="Empty, then Save: the desk posts to no channel.",
        )
        if st.form_submit_button("Save", key=CHANNEL_SAVE):
            with db() as session:
                saved = attempt(
                    partial(set_chat_channel, session, url=typed, person=person, seen=drawn)
                )
            if saved is not None:
                ss[CHANNEL_SEEN] = fingerprint(saved)
                ss[CHANNEL_CLEAR] = True
                ss[CHANNEL_SAID] = (
                    f"Notifications go to the channel at {shown_address(saved)}."
                    if saved
                    else "The desk posts to no chat channel now."
                )
                st.rerun()


def _status(sent: Sent) -> str:
    if sent.sent_at is not None:
        return f":green[Sent] {format_time(sent.sent_at)}"
    if sent.state is not None:
        return STATUS[sent.state]
    if sent.timing is Timing.HOURLY:
        return ":gray[Waiting for the hourly digest]"
    return ":gray[Not queued yet]"


def _recent() -> None:
    st.markdown("**Recent notifications**")
    with db() as session:
        listed = recent_notifications(session, SHOWN)
    if not listed:
        st.caption("No notification yet.")
        return
    for sent in listed:
        with st.container(border=True):
            how = "at once" if sent.timing is Timing.IMMEDIATELY else "hourly digest"
            st.markdown(
                md(
                    "{status} · {urgent}**{kind}** to {person} · {channel}, {how}",
                    status=md(_status(sent)),
                    urgent=md(":red[**URGENT**] ") if sent.urgent else "",
                    kind=KIND_LABELS[sent.kind],
                    person=sent.person,
                    channel=CHANNEL_LABELS[sent.channel],
                    how=how,
                )
            )
            st.caption(md("{}", sent.subject))
            job = f"job {sent.job_id}, " if sent.job_id is not None else ""
            tries = job + attempts_said(sent.attempts, sent.next_try)
            st.caption(md("{} · {}", format_time(sent.created_at), tries))
            if sent.error and sent.state is not JobState.DONE:
                st.caption(md("Last error: {}", sent.error))

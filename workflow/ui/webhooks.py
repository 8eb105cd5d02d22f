"""The Administration page's webhooks: register one (its secret shown once), list them,
deactivate or remove one; recent deliveries with their status, and Resend for each."""

from datetime import datetime
from functools import partial

import streamlit as st

from workflow.events import WebhookEvent
from workflow.models import JobState, Person
from workflow.ui.common import attempt, db, format_time, md
from workflow.webhooks import (
    deactivate_webhook,
    delete_webhook,
    list_webhooks,
    recent_deliveries,
    register_webhook,
    resend_delivery,
)

ss = st.session_state
SHOWN_DELIVERIES = 20
STATUS = {
    JobState.QUEUED: ":orange[Waiting]",
    JobState.RUNNING: ":blue[Sending]",
    JobState.DONE: ":green[Delivered]",
    JobState.FAILED: ":red[Failed]",
}


def attempts_said(attempts: int, next_try: datetime | None) -> str:
    """ "2 attempts · next try Sun 06 Dec, 10:05": a job's tries, as the listings say them."""
    said = f"{attempts} attempt{'s' if attempts != 1 else ''}"
    return said + (f" · next try {format_time(next_try)}" if next_try is not None else "")


def webhooks_section(person: Person) -> None:
    """Everything about webhooks, for an administrator."""
    st.subheader("Webhooks")
    st.caption(
        "Addresses the desk calls (POST, JSON) when something happens to a story. Each body "
        "is signed: the `Lockstep-Signature` header holds `t=`, the time, and `v1=`, the "
        "HMAC-SHA256 of the time, a dot and the body, keyed with the secret. A delivery that "
        "fails is tried again for a day."
    )
    _register(person)
    _listed(person)
    _deliveries(person)


SECRET_BOX, TAKEN = "webhook_secret", "webhook_secret_taken"


def _take_secret() -> None:
    """Before the page runs on Register: the typed secret leaves its box, so it never stays
    there, while the address and events stay (a refusal does not make anyone type them again)."""
    ss[TAKEN] = ss.get(SECRET_BOX, "")
    ss[SECRET_BOX] = ""


def _register(person: Person) -> None:
    with st.form("add_webhook"):
        url = st.text_input("Address", placeholder="https://cms.example/lockstep-hooks")
        events = st.multiselect(
            "Events", [str(e) for e in WebhookEvent], default=[str(e) for e in WebhookEvent]
        )
        st.text_input(
            "Secret",
            type="password",
            key=SECRET_BOX,
            help="At least 24 characters. Empty: the desk makes one and shows it once.",
        )
        made = None
        if st.form_submit_button("Register webhook", on_click=_take_secret):
            secret = ss.pop(TAKEN, "")
            with db() as session:
                made = attempt(
                    partial(
                        register_webhook, session, url=url, events=events, secret=secret or None,
                        person=person,
                    )
                )  # fmt: skip
    if made is not None:
        # Drawn in this run only and never kept in the session: one rerun and it is gone
        # (the list below is drawn after this, so it shows the new webhook already).
        st.success(
            md("Registered {}. Copy its secret now: it is not shown again.", made.url),
            icon=":material/key:",
        )
        st.code(made.secret, language=None)


def _listed(person: Person) -> None:
    with db() as session:
        hooks = list_webhooks(session)
    if not hooks:
        st.caption("No webhook is registered.")
        return
    st.dataframe(  # a dataframe shows its cells as text: an address is never a link here
        [
            {
                "Number": hook.id,
                "Address": hook.url,
                "Events": ", ".join(hook.events),
                "Active": "yes" if hook.active else "no",
                "Registered": format_time(hook.created_at),
            }
            for hook in hooks
        ],
        hide_index=True,
        width="stretch",
    )
    by_id = {hook.id: hook for hook in hooks}
    chosen = st.selectbox(
        "Webhook",
        list(by_id),
        format_func=lambda i: f"#{i} {by_id[i].url}" + ("" if by_id[i].active else " (inactive)"),
        key="webhook_chosen",
    )
    if chosen is None:
        return
    deactivate, remove = st.columns(2)
    if by_id[chosen].active and deactivate.button("Deactivate", key="webhook_deactivate"):
        with db() as session:
            if attempt(partial(deactivate_webhook, session, chosen, person=person)) is not None:
                st.rerun()
    if ss.get("webhook_to_remove") == chosen:
        st.warning(
            md("Remove the webhook to {}? Its waiting deliveries are not sent.", by_id[chosen].url),
            icon=":material/delete:",
        )
        yes, no, _ = st.columns([1, 1, 5])
        if yes.button("Remove it", type="primary", key="webhook_remove_yes"):
            ss.pop("webhook_to_remove", None)
            with db() as session:
                attempt(partial(delete_webhook, session, chosen, person=person))
            st.rerun()
        elif no.button("Keep it", key="webhook_remove_no"):
            ss.pop("webhook_to_remove", None)
            st.rerun()
    elif remove.button("Remove", key="webhook_remove"):
        ss["webhook_to_remove"] = chosen
        st.rerun()


def _deliveries(person: Person) -> None:
    st.markdown("**Recent deliveries**")
    with db() as session:
        deliveries = recent_deliveries(session, SHOWN_DELIVERIES)
    if not deliveries:
        st.caption("Nothing delivered yet.")
        return
    if resent := ss.pop("webhook_resent", None):
        st.success(md("Delivery {} is queued again, with the same body and key.", resent))
    for delivery in deliveries:
        with st.container(border=True):
            said, button = st.columns([5, 1])
            said.markdown(
                md(
                    "{status} · **{event}** · story #{story} · {url}",
                    status=md(STATUS[delivery.state]),
                    event=delivery.event,
                    story=delivery.story_id,
                    url=delivery.url,
                )
            )
            tries = attempts_said(delivery.attempts, delivery.next_try)
            said.caption(md("{} · {}", format_time(delivery.created_at), tries))
            if delivery.error:
                said.caption(md("Last error: {}", delivery.error))
            finished = delivery.state in (JobState.DONE, JobState.FAILED)
            if finished and button.button("Resend", key=f"resend-{delivery.job_id}"):
                with db() as session:
                    again = attempt(
                        partial(resend_delivery, session, delivery.job_id, person=person)
                    )
                if again is not None:
                    ss["webhook_resent"] = delivery.job_id
                    st.rerun()

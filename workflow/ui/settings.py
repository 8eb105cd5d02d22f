"""Settings: each person's own notifications, a kind a row and a channel a column: off, at
once, or in an hourly digest."""

from functools import partial

import streamlit as st

from workflow.models import Channel, NotificationKind, Timing
from workflow.notify.choices import (
    CHANNEL_LABELS,
    KIND_LABELS,
    TIMING_LABELS,
    URGENT_AT_ONCE,
    chat_channel,
    choices_of,
    choose,
    kinds_for,
)
from workflow.notify.send import NotSent, SmtpSettings
from workflow.ui.common import attempt, current_person, db, md, secrets

ss = st.session_state
SEEN = "notify_seen"  # the choices as the page drew them, handed back as `seen` on Save
SAVE = "notify_save"
TIMINGS: tuple[Timing, ...] = tuple(Timing)

person = current_person()
st.title("Settings")
if person is None or person.id is None:
    st.stop()
with db() as session:
    stored = choices_of(session, person.id)
    has_channel = bool(chat_channel(session))

# The click's own run reads the choices again, and another browser of theirs may have changed
# them since this page drew them: the save compares with what was drawn.
drawn = ss.get(SEEN, stored) if ss.get(SAVE) else stored
ss[SEEN] = drawn

st.subheader("Notifications")
st.caption(URGENT_AT_ONCE)
if person.email:
    st.caption(md("E-mail goes to {}, the address you sign in with.", person.email))
else:
    st.caption("You have no e-mail address at this desk: an administrator can add one.")
try:
    mail_problem = "" if SmtpSettings.load(secrets()).host else "no mail server: LOCKSTEP_SMTP_HOST"
except NotSent as refused:  # a setting the desk cannot use, said in words
    mail_problem = str(refused)
if mail_problem:
    st.warning(
        md(
            "E-mail is not configured on this desk ({}): nothing is sent by e-mail until an "
            "administrator sets it up. Your choices are kept.",
            mail_problem,
        ),
        icon=":material/mail_off:",
    )
if not has_channel:
    st.info(
        "This desk has no chat channel: nothing is sent there until an administrator sets "
        "one. Your choices are kept.",
        icon=":material/forum:",
    )

picked: dict[tuple[NotificationKind, Channel], Timing] = {}
offered = kinds_for(person.role)
with st.form("notifications"):
    heads = st.columns([3, 2, 2])
    heads[0].markdown("**Tell me when**")
    for head, channel in zip(heads[1:], Channel, strict=True):
        head.markdown(md("**{}**", CHANNEL_LABELS[channel]))
    for kind in NotificationKind:
        if kind not in offered:
            picked.update({(kind, c): drawn[(kind, c)] for c in Channel})  # kept as stored
            continue
        row = st.columns([3, 2, 2], vertical_alignment="center")
        row[0].markdown(md("{}", KIND_LABELS[kind]))
        for box, channel in zip(row[1:], Channel, strict=True):
            was = drawn[(kind, channel)]
            picked[(kind, channel)] = box.selectbox(
                f"{KIND_LABELS[kind]}, {CHANNEL_LABELS[channel]}",
                TIMINGS,
                index=TIMINGS.index(was),
                format_func=TIMING_LABELS.__getitem__,
                label_visibility="collapsed",
                # Drawn afresh when the stored choice changed; a refused click keeps the pick.
                key=f"notify_{kind.name}_{channel.name}_{was.name}",
            )
    if st.form_submit_button("Save", type="primary", key=SAVE):
        with db() as session:
            changed = attempt(
                partial(
                    choose, session, person=person, person_id=person.id, chosen=picked,
                    seen=drawn,
                )
            )  # fmt: skip
        if changed is not None:
            ss[SEEN] = dict(picked)
            if changed:
                st.success(md("Saved. {}.", "; ".join(changed)), icon=":material/check:")
            else:
                st.info("Nothing changed: these are your choices already.")

"""What a notification says, made safe for where it goes: in the desk's chat channel, people's
text (a headline, a comment, a name) that can ping nobody and hide no link (`chat_text`); in an
e-mail, header values of one line (`one_line`)."""

import re

URGENT = "URGENT"


# Every Markdown link needs a bracket closed right before its next part: `](` for an inline link
# or image, `][` for a reference, `]:` for the line defining one. An invisible space after each
# `]` parts them in Mattermost's and Teams' Markdown, and reads as typed everywhere; a backslash
# escape would work there too, but Slack's mrkdwn has none and would show the backslashes.
CLOSING_BRACKET = str.maketrans({"]": "]\u200b"})


# An `&` that would start an entity (`&lt;`, `&#64;`): escaped so the text reads as typed. Any
# other `&` stays as it is, so the desk's own links (`?story=21&view=uk`) work in every chat.
ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")


def chat_safe(text: str) -> str:
    """People's text made inert in a chat message: `<`, `>` and an `&` that starts an entity
    escaped as Slack asks (so no
    `<!channel>`, `<@U123>`, `<url|text>` nor a Markdown autolink `<url>`), Markdown's link
    brackets parted from what would make them a link (`CLOSING_BRACKET`: no hidden link of any
    kind), and an invisible space after every `@` (no `@channel`, `@here`, `@all` or
    `@someone` pings anyone in Mattermost) and `~` (no `~channel` link). What a reader sees,
    in every one of these chats, is the text as typed."""
    text = ENTITY_LIKE.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    text = text.translate(CLOSING_BRACKET)
    return text.replace("@", "@\u200b").replace("~", "~\u200b")


def chat_text(subject: str, body: str, *, urgent: bool, name: str) -> str:
    """The chat channel's message: URGENT first when urgent, who it is for, the subject, and
    the body; all of it inert (`chat_safe`)."""
    head = f"{URGENT}: " if urgent else ""
    return f"{head}For {chat_safe(name)}: {chat_safe(subject)}\n\n{chat_safe(body)}".rstrip()


def one_line(value: str) -> str:
    """A header's value: every run of white space, line breaks included, one space."""
    return " ".join(value.split())

"""The errors the domain core raises; each says in words what happened and what to do. And
`plain_traceback`, how one the domain did not foresee is logged from any thread."""


class LockstepError(Exception):
    """Base of every refusal the domain makes; its message is shown to people as it is."""


class InputError(LockstepError):
    """Text or a file that cannot become a story: nothing was stored."""


class InvalidRequest(InputError):
    """What an outside system sent does not say what is needed: every problem, one sentence
    each (`problems`), so it can fix them all at once."""

    def __init__(self, what: str, problems: list[str]) -> None:
        super().__init__(f"{what}: " + "; ".join(problems) + ".")
        self.problems = list(problems)


class NotFound(LockstepError):
    """A story, paragraph, translation or person that does not exist (any more)."""


class PermissionDenied(LockstepError):
    """The person's role or languages do not allow the action."""


class InvalidTransition(LockstepError):
    """The action does not apply to the current state."""


class StaleTranslation(InvalidTransition):
    """The English changed after the translation was made; it must be checked first."""


class VersionNotReady(InvalidTransition):
    """A language version cannot move on while some of its paragraphs are not done."""


class NotPublishable(InvalidTransition):
    """The version's text may not go to the site yet: publishing and the site's exports wait,
    for every reason in `reasons` (`versions.publish_refusals`)."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = list(reasons)


class UneditedMachineText(InvalidTransition):
    """Many paragraphs are machine text nobody edited: the editor must say they mean it."""


class SourceConflict(LockstepError):
    """Someone saved another version of the English after the one being edited."""

    def __init__(
        self,
        message: str,
        *,
        theirs: list[str],
        yours: list[str],
        current_version: int,
        saved_by: str | None,
        base: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.theirs = theirs  # the English as it stands now, paragraph by paragraph
        self.yours = yours  # the English that was refused
        self.base = base or []  # the English both started from (the version being edited)
        self.current_version = current_version
        self.saved_by = saved_by


class EditConflict(LockstepError):
    """Someone else changed the same translation after the text being saved was loaded."""

    def __init__(
        self,
        message: str,
        *,
        current_text: str,
        current_lock_version: int,
        changed_by: str | None,
        changed_at: object,
        did: str = "saved this paragraph",
    ) -> None:
        super().__init__(message)
        self.current_text = current_text
        self.current_lock_version = current_lock_version
        self.changed_by = changed_by  # their name; None when nobody is on record
        self.changed_at = changed_at
        self.did = did  # what they did, as the audit log says it: "approved this paragraph"


class VersionChanged(InvalidTransition):
    """A paragraph changed after the page approving the whole version was drawn."""


class OpenFlags(LockstepError):
    """A check found an error that nobody fixed or overrode: approving or publishing waits."""


class StoryAlreadyReceived(LockstepError):
    """The CMS sent, under an id the desk already holds, a story whose English differs from the
    one stored: a correction is sent as one (`cms.correct_english`), never as a second story."""

    def __init__(self, message: str, *, story_id: int, current_version: int) -> None:
        super().__init__(message)
        self.story_id = story_id
        self.current_version = current_version  # the English version a correction is based on


def plain_traceback(exc: BaseException) -> str:
    """The exception's traceback without the carets under each line. Python 3.11 places them
    by calling `ast.parse`, whose C state is not safe across threads (CPython gh-106905): a
    worker thread formatting one while a page's script is parsed (Streamlit parses every page
    it runs) failed that page with "AST constructor recursion depth mismatch"."""
    import traceback  # here: a command that fails in no unforeseen way never imports it

    frames = [
        traceback.FrameSummary(f.filename, f.lineno, f.name, line=f.line)  # no columns
        for f in traceback.extract_tb(exc.__traceback__)
    ]
    last = traceback.format_exception_only(type(exc), exc)
    return "".join(["Traceback (most recent call last):\n", *traceback.format_list(frames), *last])

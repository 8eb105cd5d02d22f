"""The engines offered through deep-translator: the only module that imports it.

Known facts of deep-translator 1.11.4 handled here:
- its HTTP calls have no timeout: every call made from here is bounded (`DEFAULT_TIMEOUT`);
- its batch call is one request per text: paragraphs are sent one by one, with progress;
- Google refuses texts of 5,000 characters or more, MyMemory 500: paragraphs are cut at
  sentence boundaries to fit (`Engine.translate`);
- its LibreTranslate table lacks Ukrainian, which LibreTranslate servers support, and it refuses
  an empty key (a self-hosted server often needs none);
- MyMemory wants regional codes (`uk-UA`); Microsoft asks the network for its languages when
  constructed, so construction is bounded and mapped to faults as well.
"""

import ipaddress
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlparse

import requests
from deep_translator import (
    DeeplTranslator,
    GoogleTranslator,
    LibreTranslator,
    MicrosoftTranslator,
    MyMemoryTranslator,
)
from deep_translator import exceptions as dt

from workflow.machinery.base import (
    Engine,
    EngineNotConfigured,
    EngineServerError,
    EngineTimeout,
    EngineUnreachable,
    MachineryError,
    MalformedReply,
    RateLimited,
    UnsupportedLanguage,
)

NAMES = {"en": "english", "ru": "russian", "uk": "ukrainian"}

_bound = threading.local()
_original_request = getattr(
    requests.sessions.Session.request, "lockstep_original", requests.sessions.Session.request
)


def _request_with_timeout(self: requests.Session, method: str, url: str, **kwargs: Any) -> Any:
    limit = getattr(_bound, "seconds", None)
    if limit is not None and kwargs.get("timeout") is None:
        kwargs["timeout"] = limit
    return _original_request(self, method, url, **kwargs)


# deep-translator calls `requests.get`/`post` with no timeout and no way to pass one. Only the
# calls made inside `_bounded` (on that thread) get a timeout; every other caller is untouched.
_request_with_timeout.lockstep_original = _original_request  # type: ignore[attr-defined]
requests.sessions.Session.request = _request_with_timeout  # type: ignore[method-assign, assignment]


@contextmanager
def _bounded(seconds: float) -> Iterator[None]:
    previous = getattr(_bound, "seconds", None)
    _bound.seconds = seconds
    try:
        yield
    finally:
        _bound.seconds = previous


class DeepTranslatorEngine(Engine):
    """An engine reached through deep-translator, with its faults mapped to ours."""

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        self._translators: dict[str, Any] = {}

    def make(self, target: str) -> Any:
        raise NotImplementedError

    def translate_piece(self, text: str, target: str) -> str:
        with _bounded(self.timeout):
            return self._call(lambda: self._translator(target).translate(text), target)

    def _translator(self, target: str) -> Any:
        if target not in self._translators:
            self._translators[target] = self.make(target)
        return self._translators[target]

    def _call(self, call: Callable[[], Any], target: str) -> str:
        result = self._mapped(call, target)
        if not isinstance(result, str) or not result.strip():
            raise MalformedReply(self.label, "the reply was empty", "Try again later.")
        return result

    def _mapped(self, call: Callable[[], Any], target: str) -> Any:
        """Call deep-translator, turning whatever it raises into one of our faults."""
        name = self.label
        try:
            result = call()
        except MachineryError:
            raise
        except requests.exceptions.Timeout:
            raise EngineTimeout(
                name, f"no answer within {self.timeout:.0f} seconds", "Try again in a moment."
            ) from None
        except requests.exceptions.ConnectionError:
            raise EngineUnreachable(
                name, "cannot be reached", "Check the network or the engine's address."
            ) from None
        except dt.TooManyRequests:
            raise RateLimited(
                name, "too many requests for now", "Wait a minute, then retry."
            ) from None
        except (dt.ApiKeyException, dt.AuthorizationException):
            raise EngineNotConfigured(
                name, "the key is missing or was refused", "An admin sets LOCKSTEP_MT_KEY."
            ) from None
        except (dt.LanguageNotSupportedException, dt.InvalidSourceOrTargetLanguage):
            raise UnsupportedLanguage(name, f"does not translate into {target!r}") from None
        except dt.ServerException as exc:
            status = _status_in(exc)
            if status == 429:
                raise RateLimited(name, "too many requests for now", "Wait, then retry.") from None
            raise EngineServerError(name, f"the server answered with an error ({status})") from None
        except dt.MicrosoftAPIerror as exc:
            if "429" in str(exc):
                raise RateLimited(name, "too many requests for now", "Wait, then retry.") from None
            raise EngineServerError(name, f"the server answered with an error ({exc})") from None
        except dt.RequestError as exc:
            raise EngineServerError(name, f"the server answered with an error ({exc})") from None
        except (dt.TranslationNotFound, dt.NotValidPayload, dt.NotValidLength) as exc:
            raise MalformedReply(
                name, f"no translation in the reply ({type(exc).__name__})"
            ) from None
        except (ValueError, KeyError, TypeError, AttributeError, IndexError, StopIteration):
            # JSON that is not JSON, or JSON of another shape: the reply cannot be read.
            raise MalformedReply(name, "the reply could not be read") from None
        return result


def _status_in(exc: Exception) -> int | None:
    """The HTTP status behind a ServerException, which keeps only its message."""
    by_message = {message: status for status, message in dt.ServerException.errors.items()}
    return by_message.get(str(exc.args[0]) if exc.args else "")


class GoogleEngine(DeepTranslatorEngine):
    name, label, max_chars = "google", "Google Translate", 4999

    def make(self, target: str) -> Any:
        return GoogleTranslator(source="en", target=target)


class MyMemoryEngine(DeepTranslatorEngine):
    name, label, max_chars = "mymemory", "MyMemory", 499

    def translate_piece(self, text: str, target: str) -> str:
        result = super().translate_piece(text, target)
        if result.upper().startswith("MYMEMORY WARNING"):
            # MyMemory answers a spent daily quota with a warning in place of the translation.
            raise RateLimited(self.label, "the daily quota is used up", "Try again tomorrow.")
        return result

    def make(self, target: str) -> Any:
        # Names, not codes: MyMemory's table maps them to regional codes (uk-UA, ru-RU).
        return MyMemoryTranslator(source=NAMES["en"], target=NAMES[target])


class DeeplEngine(DeepTranslatorEngine):
    name, label, needs_key = "deepl", "DeepL", True

    def make(self, target: str) -> Any:
        free = self.key.endswith(":fx")  # DeepL's free keys end so and use the free endpoint
        return DeeplTranslator(
            source=NAMES["en"], target=NAMES[target], api_key=self.key or None, use_free_api=free
        )


class MicrosoftEngine(DeepTranslatorEngine):
    name, label, needs_key = "microsoft", "Microsoft Translator", True

    def translate_piece(self, text: str, target: str) -> str:
        try:
            return super().translate_piece(text, target)
        except MalformedReply:
            # deep-translator swallows this engine's network errors and then reads the reply
            # of a request that never happened: ask the network what went wrong.
            self._check_reachable()
            raise

    def _check_reachable(self) -> None:
        try:
            with _bounded(self.timeout):
                requests.head(
                    "https://api.cognitive.microsofttranslator.com/", timeout=self.timeout
                )
        except requests.exceptions.Timeout:
            raise EngineTimeout(
                self.label, f"no answer within {self.timeout:.0f} seconds"
            ) from None
        except requests.exceptions.RequestException:
            raise EngineUnreachable(self.label, "cannot be reached", "Check the network.") from None

    def make(self, target: str) -> Any:
        with _bounded(self.timeout):
            return self._mapped(
                lambda: MicrosoftTranslator(source="en", target=target, api_key=self.key or None),
                target,
            )


class LibreEngine(DeepTranslatorEngine):
    name, label, needs_url = "libre", "LibreTranslate", True

    @property
    def outside(self) -> bool:
        """A server on this machine or the newsroom's own network keeps embargoed text in."""
        host = urlparse(self.url).hostname or ""
        if host == "localhost":
            return False
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return True
        return not (address.is_loopback or address.is_private)

    def make(self, target: str) -> Any:
        if not self.url:
            raise EngineNotConfigured(self.label, "no server address", "Set LOCKSTEP_MT_URL.")
        translator = LibreTranslator(
            source="en",
            target="ru",  # its table lacks "uk": set the target below, past the check
            # A self-hosted server may need no key, but deep-translator refuses an empty one.
            api_key=self.key or "none",
            custom_url=self.url.rstrip("/") + "/",
        )
        translator.target = target
        return translator

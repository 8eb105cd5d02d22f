"""The engines offered through deep-translator: the only module that imports it.

Known facts of deep-translator 1.11.4 handled here:
- its HTTP calls have no timeout: every call made from here is bounded by a timeout per read
  and a deadline for the whole call (`deadline.bounded`);
- its batch call is one request per text: paragraphs are sent one by one, with progress;
- Google refuses texts of 5,000 characters or more, MyMemory 500: paragraphs are cut at
  sentence boundaries to fit (`Engine.translate`);
- its LibreTranslate client puts the key and the text in the URL, where proxies log them:
  LibreTranslate has its own client (`workflow.machinery.libre`);
- MyMemory wants regional codes (`uk-UA`); Microsoft asks the network for its languages when
  constructed, so construction is bounded and mapped to faults as well.
"""

from collections.abc import Callable
from typing import Any

import requests
from deep_translator import (
    DeeplTranslator,
    GoogleTranslator,
    MicrosoftTranslator,
    MyMemoryTranslator,
)
from deep_translator import exceptions as dt

from workflow.machinery.base import (
    Engine,
    EngineNotConfigured,
    EngineServerError,
    MachineryError,
    MalformedReply,
    RateLimited,
    UnsupportedLanguage,
)
from workflow.machinery.deadline import bounded, network_fault

NAMES = {"en": "english", "ru": "russian", "uk": "ukrainian"}


class DeepTranslatorEngine(Engine):
    """An engine reached through deep-translator, with its faults mapped to ours."""

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        self._translators: dict[str, Any] = {}

    def make(self, target: str) -> Any:
        raise NotImplementedError

    def translate_piece(self, text: str, target: str) -> str:
        with bounded(self.timeout, self.deadline):
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
        except (requests.exceptions.Timeout, requests.exceptions.ConnectionError) as exc:
            network_fault(exc, name, self.timeout)
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
            with bounded(self.timeout, self.deadline):
                requests.head(
                    "https://api.cognitive.microsofttranslator.com/", timeout=self.timeout
                )
        except requests.exceptions.RequestException as exc:
            network_fault(exc, self.label, self.timeout)

    def make(self, target: str) -> Any:
        with bounded(self.timeout, self.deadline):
            return self._mapped(
                lambda: MicrosoftTranslator(source="en", target=target, api_key=self.key or None),
                target,
            )

"""Every engine through the real deep-translator code, with HTTP mocked at the requests layer."""

import json
import re
from urllib.parse import parse_qs, unquote_plus

import pytest
import requests
import responses
from hypothesis import given
from hypothesis import strategies as st

from workflow.machinery import EngineSettings, engine_for
from workflow.machinery.base import (
    DEFAULT_TIMEOUT,
    EngineNotConfigured,
    EngineServerError,
    EngineTimeout,
    EngineUnreachable,
    MachineryError,
    MalformedReply,
    RateLimited,
    UnsupportedLanguage,
    chunks,
)

GOOGLE = "https://translate.google.com/m"
MYMEMORY = "http://api.mymemory.translated.net/get"
DEEPL = "https://api-free.deepl.com/v2/translate"
MICROSOFT = "https://api.cognitive.microsofttranslator.com/translate"
MICROSOFT_LANGUAGES = re.compile(r"https://api\.cognitive\.microsofttranslator\.com/languages.*")
LIBRE = "http://127.0.0.1:5000/translate"
TEXT = "This is reported by CNN."


def engine(name: str, **settings: str):
    return engine_for(EngineSettings(engine=name, **settings))


def google_page(text: str) -> str:
    return f'<html><body><div class="result-container">{text}</div></body></html>'


def microsoft_languages() -> None:
    names = {"en": "English", "ru": "Russian", "uk": "Ukrainian"}
    responses.get(
        MICROSOFT_LANGUAGES,
        json={"translation": {code: {"name": name} for code, name in names.items()}},
    )


@responses.activate
def test_google_translates_with_a_bounded_call():
    responses.get(GOOGLE, body=google_page("Об этом сообщает CNN."))
    assert engine("google").translate(TEXT, "ru") == "Об этом сообщает CNN."
    call = responses.calls[0]
    assert "tl=ru" in call.request.url and "sl=en" in call.request.url
    assert call.request.req_kwargs["timeout"] == DEFAULT_TIMEOUT


@responses.activate
def test_mymemory_is_asked_with_regional_codes():
    responses.get(MYMEMORY, json={"responseData": {"translatedText": "Про це повідомляє CNN."}})
    assert engine("mymemory").translate(TEXT, "uk") == "Про це повідомляє CNN."
    assert "langpair=en-GB%7Cuk-UA" in responses.calls[0].request.url


@responses.activate
def test_deepl_uses_the_key_and_the_free_endpoint_for_free_keys():
    responses.get(DEEPL, json={"translations": [{"text": "Об этом сообщает CNN."}]})
    assert engine("deepl", key="secret:fx").translate(TEXT, "ru") == "Об этом сообщает CNN."
    assert "auth_key=secret%3Afx" in responses.calls[0].request.url


@responses.activate
def test_microsoft_translates_into_ukrainian():
    microsoft_languages()
    responses.post(MICROSOFT, json=[{"translations": [{"text": "Про це повідомляє CNN."}]}])
    assert engine("microsoft", key="k").translate(TEXT, "uk") == "Про це повідомляє CNN."
    assert responses.calls[-1].request.headers["Ocp-Apim-Subscription-Key"] == "k"


@pytest.mark.parametrize("key", ["", "secret-key"])
@responses.activate
def test_libre_translates_into_ukrainian_with_or_without_a_key(key):
    responses.post(LIBRE, json={"translatedText": "Про це повідомляє CNN."})
    assert engine("libre", url="http://127.0.0.1:5000", key=key).translate(TEXT, "uk") == (
        "Про це повідомляє CNN."
    )
    sent = parse_qs(responses.calls[0].request.body)
    assert sent["target"] == ["uk"] and sent["source"] == ["en"] and sent["q"] == [TEXT]
    assert sent.get("api_key") == ([key] if key else None)


@responses.activate
def test_libre_key_and_text_stay_out_of_the_url_that_proxies_log():
    responses.post(LIBRE, json={"translatedText": "Об этом сообщает CNN."})
    engine("libre", url="http://127.0.0.1:5000/", key="secret-key").translate(TEXT, "ru")
    url = responses.calls[0].request.url
    assert url == LIBRE
    assert "secret" not in url and "CNN" not in unquote_plus(url)


@pytest.mark.parametrize(
    ("status", "reply", "error"),
    [
        (403, {"error": "Invalid API key"}, EngineNotConfigured),
        (400, {"error": "Visit https://portal.libretranslate.com to get an API key"},
         EngineNotConfigured),
        (400, {"error": "uk is not supported"}, UnsupportedLanguage),
        (400, {"error": "Invalid request"}, EngineServerError),
    ],
)  # fmt: skip
@responses.activate
def test_libre_refusals_are_said_plainly(status, reply, error):
    responses.post(LIBRE, status=status, json=reply)
    with pytest.raises(error, match="LibreTranslate"):
        engine("libre", url="http://127.0.0.1:5000").translate(TEXT, "uk")


def test_libre_on_this_machine_is_inside_the_newsroom():
    assert not engine("libre", url="http://127.0.0.1:5000").outside
    assert not engine("libre", url="http://10.1.2.3").outside
    assert engine("libre", url="https://libretranslate.com").outside
    assert engine("google").outside


@responses.activate
def test_a_long_paragraph_is_cut_at_sentences_and_joined_back():
    sentence = "The troops will move in the coming days and will not be permanent. "
    long = sentence * 90  # about 6,000 characters: Google refuses 5,000 or more
    responses.get(GOOGLE, body=google_page("Перевод."))
    assert engine("google").translate(long, "ru") == "Перевод. Перевод."
    sent = [len(call.request.params["q"]) for call in responses.calls]
    assert len(sent) == 2 and max(sent) < 5000


def test_chunks_keep_every_word():
    text = "One two three. " * 50 + "A" * 30
    pieces = chunks(text, 100)
    assert all(len(piece) <= 100 for piece in pieces)
    assert " ".join(pieces).split() == text.split()


FAULTS = [
    (
        "connection refused",
        {"body": requests.exceptions.ConnectionError("refused")},
        EngineUnreachable,
        "cannot be reached",
    ),
    ("timeout", {"body": requests.exceptions.ReadTimeout("slow")}, EngineTimeout, "10 seconds"),
    ("rate limit", {"status": 429}, RateLimited, "too many requests"),
    ("server error", {"status": 500}, EngineServerError, "error"),
]


@pytest.mark.parametrize(("name", "reply", "error", "words"), FAULTS, ids=[f[0] for f in FAULTS])
@pytest.mark.parametrize("engine_name", ["google", "libre"])
@responses.activate
def test_faults_name_the_engine_and_the_fault(engine_name, name, reply, error, words):
    url = GOOGLE if engine_name == "google" else LIBRE
    responses.add(responses.GET if engine_name == "google" else responses.POST, url, **reply)
    with pytest.raises(error) as raised:
        engine(engine_name, url="http://127.0.0.1:5000").translate(TEXT, "ru")
    message = str(raised.value)
    assert message.startswith("Google Translate" if engine_name == "google" else "LibreTranslate")
    assert words in message


@responses.activate
def test_malformed_reply_is_a_fault_not_a_crash():
    responses.post(LIBRE, body="<html>Bad gateway page</html>", status=200)
    with pytest.raises(MalformedReply, match="could not be read"):
        engine("libre", url="http://127.0.0.1:5000").translate(TEXT, "ru")


@responses.activate
def test_empty_reply_is_a_fault():
    responses.post(LIBRE, json={"translatedText": ""})
    with pytest.raises(MalformedReply, match="empty"):
        engine("libre", url="http://127.0.0.1:5000").translate(TEXT, "ru")


@responses.activate
def test_google_page_without_a_translation_is_malformed():
    responses.get(GOOGLE, body="<html><body>Unusual traffic</body></html>")
    with pytest.raises(MalformedReply):
        engine("google").translate(TEXT, "uk")


def test_unsupported_language_is_said_plainly():
    with pytest.raises(UnsupportedLanguage, match="does not translate into 'xx'"):
        engine("google").translate(TEXT, "xx")


@pytest.mark.parametrize(("name", "settings"), [("deepl", {}), ("microsoft", {}), ("libre", {})])
def test_missing_key_or_address_is_a_configuration_fault(name, settings):
    with pytest.raises(EngineNotConfigured):
        engine(name, **settings).translate(TEXT, "ru")


@responses.activate
def test_microsoft_unreachable_while_listing_languages():
    responses.get(MICROSOFT_LANGUAGES, body=requests.exceptions.ConnectionError("down"))
    with pytest.raises(EngineUnreachable, match="Microsoft Translator"):
        engine("microsoft", key="k").translate(TEXT, "ru")


def test_unknown_engine_setting_is_refused():
    from workflow.errors import InputError

    with pytest.raises(InputError, match="Unknown engine 'babel'"):
        engine_for(EngineSettings(engine="babel"))


def test_sentences_do_not_end_at_initials_or_abbreviations():
    from workflow.machinery.base import sentences

    text = (
        "U.S. President Joe Biden approved it, Gen. Mark Milley said. "
        'Kirby stressed: "It is not permanent." Moscow denied it!'
    )
    assert sentences(text) == [
        "U.S. President Joe Biden approved it, Gen. Mark Milley said.",
        'Kirby stressed: "It is not permanent."',
        "Moscow denied it!",
    ]


def test_an_unbroken_text_longer_than_the_limit_is_cut_below_it():
    pieces = chunks("a" * 6000, 4999)
    assert [len(p) for p in pieces] == [4999, 1001]


@responses.activate
def test_google_limit_keeps_every_piece_under_5000():
    responses.get(GOOGLE, body=google_page("Перевод"))
    engine("google").translate("b" * 6000, "ru")  # deep-translator refuses 5,000 or more
    assert max(len(call.request.params["q"]) for call in responses.calls) < 5000


MYMEMORY_DEEPL_FAULTS = [
    ({"body": requests.exceptions.ConnectionError("down")}, EngineUnreachable),
    ({"body": requests.exceptions.ReadTimeout("slow")}, EngineTimeout),
    ({"status": 429}, RateLimited),
    ({"status": 500}, EngineServerError),
]


@pytest.mark.parametrize(("reply", "error"), MYMEMORY_DEEPL_FAULTS)
@pytest.mark.parametrize(("name", "url", "settings"), [
    ("mymemory", MYMEMORY, {}), ("deepl", DEEPL, {"key": "k:fx"}),
])  # fmt: skip
@responses.activate
def test_faults_of_mymemory_and_deepl(name, url, settings, reply, error):
    responses.get(url, **reply)
    with pytest.raises(error):
        engine(name, **settings).translate(TEXT, "ru")


@pytest.mark.parametrize(
    ("reply", "head", "error"),
    [
        ({"body": requests.exceptions.ConnectionError("down")},
         {"body": requests.exceptions.ConnectionError("down")}, EngineUnreachable),
        ({"body": requests.exceptions.ReadTimeout("slow")},
         {"body": requests.exceptions.ReadTimeout("slow")}, EngineTimeout),
        ({"json": {"error": {"code": 429001, "message": "429 Too many requests"}}}, None,
         RateLimited),
        ({"json": {"error": {"code": 500000, "message": "Internal error"}}}, None,
         EngineServerError),
    ],
    ids=["unreachable", "timeout", "rate limit", "server error"],
)  # fmt: skip
@responses.activate
def test_faults_of_microsoft(reply, head, error):
    microsoft_languages()
    responses.post(MICROSOFT, **reply)
    if head:
        responses.head("https://api.cognitive.microsofttranslator.com/", **head)
    with pytest.raises(error):
        engine("microsoft", key="k").translate(TEXT, "ru")


@responses.activate
def test_mymemory_quota_warning_is_a_rate_limit_not_a_translation():
    warning = "MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY."
    responses.get(MYMEMORY, json={"responseData": {"translatedText": warning}})
    with pytest.raises(RateLimited, match="daily quota"):
        engine("mymemory").translate(TEXT, "uk")


@given(
    status=st.sampled_from([200, 400, 403, 404, 429, 500, 502]),
    body=st.one_of(
        st.binary(max_size=200),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(
                    st.sampled_from(["translatedText", "error", "detail"]) | st.text(max_size=5),
                    inner,
                    max_size=3,
                )
            ),
            max_leaves=6,
        ).map(lambda value: json.dumps(value).encode()),
    ),
)
def test_any_libre_reply_is_a_translation_or_a_fault_in_words(status, body):
    with responses.RequestsMock() as mock:
        mock.post(LIBRE, status=status, body=body)
        try:
            result = engine("libre", url="http://127.0.0.1:5000").translate(TEXT, "ru")
        except MachineryError as fault:
            assert str(fault).startswith("LibreTranslate: ")
        else:
            assert isinstance(result, str) and result.strip()


@pytest.mark.parametrize("backend", ["sqlite"])
@responses.activate
def test_an_engine_waits_as_long_as_the_newsroom_set(session, monkeypatch):
    """A self-hosted server on a slow machine: LOCKSTEP_MT_TIMEOUT bounds each request."""
    monkeypatch.setenv("LOCKSTEP_MT_TIMEOUT", "45")
    responses.get(GOOGLE, body=google_page("Об этом сообщает CNN."))
    slow = engine_for(EngineSettings.load(session))
    assert slow.translate(TEXT, "ru") == "Об этом сообщает CNN."
    assert responses.calls[0].request.req_kwargs["timeout"] == 45
    assert slow.deadline >= 3 * 45  # however the answer trickles in

    monkeypatch.delenv("LOCKSTEP_MT_TIMEOUT")
    from_secrets = EngineSettings.load(session, {"LOCKSTEP_MT_TIMEOUT": "2.5"})
    assert from_secrets.timeout == 2.5
    assert EngineSettings.load(session, {"LOCKSTEP_MT_TIMEOUT": "soon"}).timeout == DEFAULT_TIMEOUT


@given(st.text())
def test_any_written_timeout_is_a_usable_number_of_seconds(text):
    from workflow.machinery import MOST_SECONDS, seconds

    assert 0 < seconds(text) <= MOST_SECONDS


@pytest.mark.parametrize(
    "written,meant",
    [("30", 30.0), (" 2.5 ", 2.5), ("0", DEFAULT_TIMEOUT), ("-4", DEFAULT_TIMEOUT),
     ("nan", DEFAULT_TIMEOUT), ("inf", DEFAULT_TIMEOUT), ("", DEFAULT_TIMEOUT), ("1e9", 120.0)],
)  # fmt: skip
def test_a_timeout_is_read_as_seconds_or_the_default(written, meant):
    from workflow.machinery import seconds

    assert seconds(written) == meant

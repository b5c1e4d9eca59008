import pytest
from django.core import signing
from django.template.loader import render_to_string

from cchc.portal import antispam


def _data(token, honeypot=""):
    return {antispam.TOKEN_FIELD: token, antispam.HONEYPOT_FIELD: honeypot}


def test_a_person_who_took_some_seconds_passes(settings):
    settings.CCHC_FORM_MIN_SECONDS = 3
    token = antispam.form_token(now=1_000_000.0)
    verdict = antispam.check(_data(token), now=1_000_010.0)
    assert verdict.ok and verdict.message == ""


def test_too_fast_is_refused_with_the_wait_message(settings):
    settings.CCHC_FORM_MIN_SECONDS = 3
    token = antispam.form_token(now=1_000_000.0)
    verdict = antispam.check(_data(token), now=1_000_001.0)
    assert not verdict.ok and verdict.reason == antispam.TOO_FAST
    assert "Vui lòng đợi vài giây rồi gửi lại" in verdict.message


def test_minimum_is_a_setting(settings):
    settings.CCHC_FORM_MIN_SECONDS = 0
    token = antispam.form_token(now=1_000_000.0)
    assert antispam.check(_data(token), now=1_000_000.0).ok


def test_honeypot_filled_is_refused(settings):
    settings.CCHC_FORM_MIN_SECONDS = 0
    token = antispam.form_token(now=1_000_000.0)
    verdict = antispam.check(_data(token, honeypot="http://spam.example"), now=1_000_100.0)
    assert not verdict.ok and verdict.reason == antispam.HONEYPOT
    assert "giữ nguyên" in verdict.message


@pytest.mark.parametrize(
    "token",
    [
        "",
        "garbage",
        signing.dumps(1_000_000_000, salt="another-salt"),  # signed for another purpose
        signing.dumps("not-a-number", salt=antispam.SALT),
    ],
)
def test_missing_or_forged_token_is_refused(token, settings):
    settings.CCHC_FORM_MIN_SECONDS = 0
    verdict = antispam.check(_data(token), now=1_000_100.0)
    assert not verdict.ok and verdict.reason in (antispam.MISSING, antispam.FORGED)


def test_a_tampered_timestamp_is_refused(settings):
    settings.CCHC_FORM_MIN_SECONDS = 0
    token = antispam.form_token(now=1_000_000.0)
    value, _sep, signature = token.rpartition(":")
    tampered = signing.dumps(999_000_000, salt=antispam.SALT).rpartition(":")[0] + ":" + signature
    assert not antispam.check(_data(tampered), now=1_000_100.0).ok


def test_token_from_the_future_is_refused(settings):
    settings.CCHC_FORM_MIN_SECONDS = 0
    token = antispam.form_token(now=1_000_100.0)
    assert antispam.check(_data(token), now=1_000_000.0).reason == antispam.FORGED


def test_expired_token_is_refused(settings):
    settings.CCHC_FORM_MIN_SECONDS = 0
    token = antispam.form_token(now=1_000_000.0)
    verdict = antispam.check(_data(token), now=1_000_000.0 + antispam.MAX_AGE_SECONDS + 1)
    assert verdict.reason == antispam.EXPIRED and "hết hiệu lực" in verdict.message


def test_missing_fields_in_data():
    assert antispam.check({}).reason == antispam.MISSING


def test_include_renders_hidden_honeypot_and_token():
    token = antispam.form_token()
    html = render_to_string("portal/partials/_antispam.html", {"antispam_token": token})
    assert f'name="{antispam.HONEYPOT_FIELD}"' in html
    assert f'name="{antispam.TOKEN_FIELD}" value="{token}"' in html
    assert 'tabindex="-1"' in html and 'autocomplete="off"' in html and 'aria-hidden="true"' in html

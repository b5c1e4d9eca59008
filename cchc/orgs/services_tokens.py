"""Issuing and revoking API tokens: one transaction each, with an audit trail.

A token acts as its user with exactly that user's scope. Only the SHA-256 of the token
is stored, so a copy of the database does not hand out working tokens; the plaintext is
returned once, to be given to the integration that will use it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core import audit
from cchc.core.errors import DomainError, PermissionDenied

from .models import ApiToken
from .scoping import scope_for

# What the audit trail keeps of a token: never its hash.
_AUDITED_FIELDS = ["user", "name", "prefix", "expires_at", "revoked_at"]


def api_token_hash(plaintext: str) -> str:
    """The stored form of a token: comparing hashes leaks nothing about the secret."""
    return hashlib.sha256(plaintext.encode()).hexdigest()


def _require_owner_or_admin(actor, user) -> None:
    # actor None: the `api_token` management command, run by the operator on the server.
    if actor is None or actor.pk == user.pk or scope_for(actor).is_global:
        return
    raise PermissionDenied(_("Chỉ người dùng hoặc quản trị hệ thống được quản lý mã truy cập này."))


@transaction.atomic
def api_token_issue(*, actor, user, name: str, expires_at: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """Issue a token acting as `user`; returns the record and the plaintext (shown once).

    A user may issue tokens for themselves; only a system administrator for someone else.
    An inactive user cannot be given a token, and an expiry must lie in the future.
    """
    _require_owner_or_admin(actor, user)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Vui lòng đặt tên cho mã truy cập."), code="required", field="name")
    if not user.is_active:
        raise DomainError(_("Tài khoản đã bị khóa, không thể cấp mã truy cập."), field="user")
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError(_("Thời điểm hết hạn phải ở tương lai."), field="expires_at")
    plaintext = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        key_hash=api_token_hash(plaintext),
        prefix=plaintext[:8],
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    audit.record(
        actor=actor,
        obj=token,
        event="api_token.issued",
        after=audit.snapshot(token, _AUDITED_FIELDS),
    )
    return token, plaintext


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token from now on; the record stays, for the audit trail."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    _require_owner_or_admin(actor, token.user)
    if token.revoked_at is not None:
        raise DomainError(_("Mã truy cập đã bị thu hồi từ trước."), code="already_revoked")
    before = audit.snapshot(token, _AUDITED_FIELDS)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        obj=token,
        event="api_token.revoked",
        before=before,
        after=audit.snapshot(token, _AUDITED_FIELDS),
    )
    return token

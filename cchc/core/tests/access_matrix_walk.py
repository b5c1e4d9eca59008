"""The machinery of the access-control matrix: find every URL, fill its arguments from
office A's objects, send the requests, judge the answers (see test_access_matrix.py)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cchc.orgs.scoping import ROLE_PERMS, Perm

TOKEN = "+token"  # a user key with this suffix calls the API with a bearer token


# --- the policy's vocabulary ---------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """Who may read (GET) and write (the other methods) one URL.

    kind:
      public     anyone, signed in or not (the citizen portal, the login page)
      signed_in  any signed-in user; what they see is scoped, so no object to hide
      holder     a signed-in user holding `read` (GET) / `write` (writes) in some unit
      object     an object of office A: its roles with the perm may, its other roles are
                 refused (403/404), office B's roles get 404, anonymous goes to sign in
      admin      the Django admin: superusers only (no role holder is staff)
    """

    kind: str
    read: Perm | None = Perm.VIEW
    write: Perm | None = None
    get: bool = True  # False: the URL takes writes only, GET answers 405
    post: bool = False  # pages: also POST (an empty form) to prove who may write
    only: frozenset[str] | None = None  # exactly these users may
    member: bool = False  # holder: acts for one of the user's units (a superuser holds none)
    note: str = ""


def public(*, post=False, get=True, note=""):
    return Rule("public", read=None, get=get, post=post, note=note)


def signed_in(*, post=False, get=True, note=""):
    return Rule("signed_in", read=None, write=None, get=get, post=post, note=note)


def holder(perm: Perm, *, write: Perm | None = None, post=False, get=True, only=None, member=False, note=""):
    return Rule("holder", read=perm, write=write or (perm if post or not get else None), get=get,
                post=post or not get, only=None if only is None else frozenset(only), member=member,
                note=note)


def obj(read: Perm | None = Perm.VIEW, write: Perm | None = None, *, post=False, get=True,
        only=None, member=False, note=""):
    return Rule("object", read=read, write=write, get=get, post=post or (write is not None),
                only=None if only is None else frozenset(only), member=member, note=note)


ADMIN = Rule("admin", read=None, note="Django admin: superusers only")


# --- discovery -----------------------------------------------------------------------
@dataclass
class Endpoint:
    name: str  # "namespace:name"
    route: str
    pattern: URLPattern
    kwargs: tuple[str, ...]
    methods: tuple[str, ...] = ()  # for the API: the methods its operation takes

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:")


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = p.name or f"<unnamed {prefix}{p.pattern}>"
            yield prefix + str(p.pattern), (f"{namespace}:{name}" if namespace else name), p


def _api_methods() -> dict[str, tuple[str, ...]]:
    from cchc.api import api

    methods: dict[str, tuple[str, ...]] = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                name = getattr(operation, "url_name", None) or operation.view_func.__name__
                methods[f"api:{name}"] = tuple(operation.methods)
    return methods


def discover() -> list[Endpoint]:
    """Every URL pattern of cchc.urls, the admin's and the API's included."""
    api_methods = _api_methods()
    endpoints = []
    for route, name, pattern in _walk(get_resolver().url_patterns):
        kwargs = tuple(pattern.pattern.regex.groupindex)
        endpoints.append(
            Endpoint(name=name, route=route, pattern=pattern, kwargs=kwargs,
                     methods=api_methods.get(name, ("GET",)) if name and name.startswith("api:") else ())
        )
    return endpoints


# --- arguments -----------------------------------------------------------------------
def admin_models() -> dict[str, type]:
    """admin URL name prefix ("admin:orgs_orgunit") -> model."""
    return {f"admin:{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}


def fill(endpoint: Endpoint, t, overrides: dict) -> dict | None:
    """The URL's arguments, from office A's objects; None when there is nothing to name."""
    if endpoint.is_admin:
        return _fill_admin(endpoint, t)
    values = {}
    for name in endpoint.kwargs:
        key = (endpoint.name, name)
        if key in overrides:
            values[name] = overrides[key](t)
        elif name in overrides:
            values[name] = overrides[name](t)
        else:
            return None
    return values


def url_of(endpoint: Endpoint, values: dict) -> str:
    """The URL: reversed by name, or for the admin's few unnamed patterns, by filling in
    the route itself."""
    if "<unnamed" not in endpoint.name:
        return reverse(endpoint.name, kwargs=values)

    route = re.sub(r"<(?:\w+:)?(?P<name>\w+)>|\(\?P<(?P<name2>\w+)>[^)]*\)",
                   lambda m: str(values[m.group("name") or m.group("name2")]), endpoint.route)
    return "/" + route.replace("^", "").replace("$", "")


def _fill_admin(endpoint: Endpoint, t) -> dict:
    """A row of the page's model where there is one, else an id that names none (the
    admin then redirects a superuser to its index; everyone else still goes to sign in)."""
    if endpoint.name == "admin:view_on_site":
        from django.contrib.contenttypes.models import ContentType

        return {"content_type_id": ContentType.objects.get_for_model(t.office_a).pk,
                "object_id": str(t.office_a.pk)}
    model = next((m for k, m in admin_models().items() if endpoint.name.startswith(k + "_")), None)
    first = model._default_manager.order_by("pk").first() if model else None
    values = {}
    for name in endpoint.kwargs:
        if name == "app_label":
            values[name] = "orgs"
        elif name == "url":
            values[name] = "no-such-page/"
        else:  # object_id, id
            values[name] = str(first.pk) if first is not None else "0"
    return values


# --- judging -------------------------------------------------------------------------
@dataclass
class Outcome:
    expected: str  # a label of EXPECTED
    status: int
    location: str = ""


LOGIN = "login"  # a page: 302 to the sign-in page; the API: 401
ADMIN_LOGIN = "admin-login"
OK = "ok"  # GET: 200
WRITE_OK = "write-ok"  # a write taken up: done (2xx/3xx) or refused for its content (400/409/422)
DENIED = "denied"  # 403, or 404
HIDDEN = "hidden"  # 404: another unit's object must not be revealed
NO_METHOD = "405"
ANY = "any"  # public pages: anything but a server error or a demand to sign in
ADMIN_OK = "admin-ok"  # a superuser in the admin: anything but a server error or the sign-in page


def accepts(expected: str, response, *, api: bool) -> bool:
    status = response.status_code
    location = response.get("Location", "")
    if status >= 500:
        return False
    if expected == LOGIN:
        return status == 401 if api else status == 302 and location.startswith("/login/")
    if expected == ADMIN_LOGIN:
        return status == 302 and location.startswith("/admin/login/")
    if expected == OK:
        return status == 200
    if expected == WRITE_OK:
        return status in (200, 201, 204, 302, 303, 400, 409, 422)
    if expected == DENIED:
        return status in (403, 404)
    if expected == HIDDEN:
        return status == 404
    if expected == ADMIN_OK:
        return status in (200, 302, 403, 404) and not location.startswith("/admin/login/")
    if expected == NO_METHOD:
        return status == 405
    if expected == ANY:
        return status not in (401, 403) and not (
            response.request["REQUEST_METHOD"] == "GET" and status == 302 and location.startswith("/login/")
        )
    raise ValueError(expected)


def perms_of(user_key: str) -> frozenset[Perm]:
    user_key = user_key.removesuffix(TOKEN)
    if user_key == "superuser":
        return frozenset(Perm)
    if user_key in ("anonymous", "nobody"):
        return frozenset()
    return ROLE_PERMS[user_key.split(":", 1)[1]]


def expect(rule: Rule, user_key: str, method: str) -> str:
    """What `user_key` must get for `method` on a URL governed by `rule`."""
    write = method != "GET"
    if rule.kind == "admin":
        return ADMIN_OK if user_key == "superuser" else ADMIN_LOGIN
    if rule.kind == "public":
        if not write and not rule.get:
            return NO_METHOD
        return ANY
    if user_key == "anonymous":
        return LOGIN
    if not write and not rule.get:
        return NO_METHOD
    success = WRITE_OK if write else OK
    if rule.kind == "signed_in":
        return success
    perm = rule.write if write else rule.read
    side = "A" if user_key.startswith("A:") else "B" if user_key.startswith("B:") else ""
    if rule.kind == "holder":
        if rule.only is not None:
            return success if user_key in rule.only else DENIED
        if rule.member and user_key == "superuser":
            return DENIED
        return success if perm is None or perm in perms_of(user_key) else DENIED
    # an object of office A
    if side == "B" or user_key == "nobody":
        return HIDDEN
    if rule.only is not None:
        return success if user_key in rule.only else DENIED
    if rule.member and user_key == "superuser":
        return HIDDEN if write else success  # no unit to act for
    return success if perm is None or perm in perms_of(user_key) else DENIED


# --- sending -------------------------------------------------------------------------
@dataclass
class Walk:
    t: object
    clients: dict[str, Client] = field(default_factory=dict)
    requests: int = 0
    failures: list[tuple] = field(default_factory=list)

    def client(self, user_key: str) -> Client:
        """A client signed in as the user; "<user>+token" calls with a bearer token instead."""
        if user_key not in self.clients:
            user = self.t.users[user_key.removesuffix(TOKEN)]
            if user_key.endswith(TOKEN):
                from cchc.orgs.services_tokens import api_token_issue

                _token, plaintext = api_token_issue(actor=user, user=user, name="access matrix")
                client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {plaintext}")
            else:
                client = Client(raise_request_exception=False)
                if user is not None:
                    client.force_login(user)
            self.clients[user_key] = client
        return self.clients[user_key]

    def send(self, user_key: str, method: str, url: str, *, api: bool, body=None, multipart=False):
        client = self.client(user_key)
        self.requests += 1
        if method == "GET":
            return client.get(url)
        if api and not multipart:
            return client.generic(method, url, data=json.dumps(body or {}), content_type="application/json")
        return client.post(url, body or {})

    def write_leaves_no_trace(self, user_key, method, url, *, api, fingerprint=None, baseline=None,
                              body=None, multipart=False):
        """Send a write inside a savepoint that is rolled back. With `fingerprint`, compare
        office A's rows after the write (inside the savepoint) with `baseline`, taken before
        (every write is rolled back, so one baseline serves them all): a refused write must
        change nothing. Returns the response and what changed ("" when nothing)."""
        self.client(user_key)  # signed in (or its token issued) outside the savepoint
        with transaction.atomic():
            response = self.send(user_key, method, url, api=api, body=body, multipart=multipart)
            after = fingerprint() if fingerprint else {}
            transaction.set_rollback(True)
        client = self.clients.get(user_key)
        signed_in = self.t.users[user_key.removesuffix(TOKEN)] is not None and not user_key.endswith(TOKEN)
        if client is not None and signed_in and "_auth_user_id" not in client.session:
            del self.clients[user_key]  # logged out by the write: sign in again next time
        return response, _changed(baseline, after) if fingerprint else ""


def _changed(before: dict, after: dict) -> str:
    return ", ".join(sorted(k for k in before if before[k] != after.get(k)))[:120]

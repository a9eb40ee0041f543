"""The local identity provider's sign-in page (embedded default, loopback only).

It stands where Kakao's login page would: a person types a name and email, and the
browser goes back to our callback with a one-time code, exactly as from a real provider.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter, URLEncodedBody
from litestar.response import Redirect

from pullit_domain.errors import Code, InvalidInput, NotFound
from pullit_domain.messages import Message, msg
from pullit_web.http.controllers.oauth import CALLBACK_PATH, with_query
from pullit_web.http.languages import localise, request_language
from pullit_web.http.paths import LOCAL_SIGN_IN_PATH
from pullit_web.http.rate_limits import Budget, rate_limited
from pullit_web.http.redirects import is_own_callback
from pullit_web.http.sign_in_providers import IdentityProviders, LocalSignIn
from pullit_web.settings import Settings, origin_of


@dataclass
class LocalSignInForm:
    name: str
    email: str
    redirect_uri: str
    state: str
    code_challenge: str


PAGE = """<!doctype html>
<html lang="{language}"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: sans-serif; max-width: 24rem; margin: 4rem auto">
<h1>{heading}</h1>
<p>{intro}</p>
{error}
<form method="post" action="{action}">
<p><label>{name_label}<br><input name="name" required maxlength="100" value="{name}"></label></p>
<p><label>{email_label}<br><input name="email" type="email" required maxlength="255" value="{email}"></label></p>
<input type="hidden" name="redirect_uri" value="{redirect_uri}">
<input type="hidden" name="state" value="{state}">
<input type="hidden" name="code_challenge" value="{code_challenge}">
<p><button type="submit">{submit}</button></p>
</form></body></html>
"""

TEXTS = {
    "title": msg("Sign in to Pullit (local)"),
    "heading": msg("Sign in to Pullit"),
    "intro": msg("Local sign-in: this service runs without Kakao, on this machine only."),
    "name_label": msg("Name"),
    "email_label": msg("Email"),
    "submit": msg("Sign in"),
}


def _page(
    request: Request[Any, Any, Any], form: LocalSignInForm, error: Message | None = None, status: int = 200
) -> Response[str]:
    texts = {key: escape(localise(request, text)) for key, text in TEXTS.items()}
    shown = f'<p role="alert" style="color: #b00">{escape(localise(request, error))}</p>' if error else ""
    language = request_language(request)
    body = PAGE.format(
        action=LOCAL_SIGN_IN_PATH,
        error=shown,
        language=language,
        **texts,
        **{key: escape(value, quote=True) for key, value in vars(form).items()},
    )
    return Response(
        body, status_code=status, media_type="text/html; charset=utf-8", headers={"Content-Language": language}
    )


class LocalLoginController(Controller):
    path = LOCAL_SIGN_IN_PATH
    tags = ["sign-in"]
    include_in_schema = False

    @get("/", summary="The local sign-in page")
    async def page(
        self,
        request: Request[Any, Any, Any],
        identity_providers: NamedDependency[IdentityProviders],
        settings: NamedDependency[Settings],
        redirect_uri: FromQuery[str],
        oauth_state: Annotated[str, QueryParameter(name="state")],
        code_challenge: FromQuery[str],
        code_challenge_method: FromQuery[str] = "S256",
    ) -> Response[str]:
        _local(identity_providers)
        if code_challenge_method != "S256":
            raise InvalidInput("only the S256 code challenge method is supported", Code.INVALID_INPUT)
        _check_callback(request, settings, redirect_uri)
        return _page(request, LocalSignInForm("", "", redirect_uri, oauth_state, code_challenge))

    @post("/", status_code=302, summary="Sign in as the person typed", middleware=rate_limited(Budget.SIGN_IN))
    async def submit(
        self,
        request: Request[Any, Any, Any],
        identity_providers: NamedDependency[IdentityProviders],
        settings: NamedDependency[Settings],
        data: URLEncodedBody[LocalSignInForm],
    ) -> Response[Any]:
        local = _local(identity_providers)
        _check_callback(request, settings, data.redirect_uri)
        try:
            code = local.issue_code(data.name, data.email, data.redirect_uri, data.code_challenge)
        except InvalidInput as error:
            return _page(request, data, error.as_message, status=400)
        return Redirect(with_query(data.redirect_uri, code=code, state=data.state))


def _local(providers: IdentityProviders) -> LocalSignIn:
    if providers.local is None:
        raise NotFound("local sign-in is not enabled on this service")
    return providers.local


def _check_callback(request: Request[Any, Any, Any], settings: Settings, redirect_uri: str) -> None:
    """Codes go only to our own callback, never to another site."""
    own_origin = origin_of(settings.public_url or str(request.base_url))
    if not is_own_callback(redirect_uri, own_origin, CALLBACK_PATH):
        raise InvalidInput("redirect_uri is not this service's sign-in callback", Code.INVALID_INPUT)

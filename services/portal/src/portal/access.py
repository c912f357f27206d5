"""The one session check every portal page goes through, and the service tokens the portal
attaches to its calls: the signed-in user's (RFC 8693 token exchange) or its own (client
credentials)."""

import asyncio
import time
from collections.abc import Awaitable, Callable

from fastapi import Request

from portal.identity import OidcClient
from portal.sessions import SignedIn


class SignInRequired(Exception):
    """Answered with a redirect to the sign-in that fits the page."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


class NotAllowed(Exception):
    """Signed in, but not as someone who may see this page (403)."""


async def current_user(request: Request) -> SignedIn | None:
    """THE session check: the live server-side session named by the request's cookie."""
    if not hasattr(request.state, "signed_in"):
        request.state.signed_in = await request.app.state.sessions.current(request)
    return request.state.signed_in


async def citizen(request: Request) -> SignedIn:
    """A page for a person about their own record."""
    user = await current_user(request)
    if user is None:
        raise SignInRequired("/sign-in")
    if user.kind != "citizen" or user.person_id is None:
        raise NotAllowed()
    return user


async def staff(request: Request) -> SignedIn:
    """A page for any signed-in staff member."""
    user = await current_user(request)
    if user is None:
        raise SignInRequired("/staff/sign-in")
    if user.kind != "staff":
        raise NotAllowed()
    return user


def staff_with(role: str) -> Callable[[Request], Awaitable[SignedIn]]:
    """A page for staff holding `role` (a role the staff provider's `roles` claim gave them)."""

    async def dependency(request: Request) -> SignedIn:
        user = await current_user(request)
        if user is None:
            raise SignInRequired("/staff/sign-in")
        if user.kind != "staff" or not user.has_role(role):
            raise NotAllowed()
        return user

    return dependency


class ServiceTokens:
    """Bearer tokens for the services, cached until shortly before they expire."""

    def __init__(self, citizens: OidcClient, staff: OidcClient, resources: dict[str, str]) -> None:
        self._providers = {"citizen": citizens, "staff": staff}
        self._resources = resources
        self._cache: dict[tuple[object, ...], tuple[str, float]] = {}
        self._lock = asyncio.Lock()

    async def for_user(self, user: SignedIn, service: str) -> str:
        """The user's own token for `service`: their subject and roles, the person they act for
        (themself, or someone who authorised them: then the authority too), and the portal as
        the actor."""
        provider = self._providers[user.kind]
        return await self._cached(
            (user.session_key, service, user.person_id, user.acting_authority_id),
            lambda: provider.exchange(
                user.access_token,
                self._resources[service],
                user.person_id,
                authority_id=user.acting_authority_id,
            ),
        )

    async def for_portal(self, service: str, scope: str = "") -> str:
        """The portal's own token (client credentials), e.g. to match an identity."""
        provider = self._providers["staff"]
        return await self._cached(
            ("portal", service + scope),
            lambda: provider.client_credentials(self._resources[service], scope),
        )

    async def _cached(
        self, key: tuple[object, ...], fetch: Callable[[], Awaitable[tuple[str, float]]]
    ) -> str:
        now = time.monotonic()
        hit = self._cache.get(key)
        if hit and hit[1] > now:
            return hit[0]
        async with self._lock:
            token, lifetime = await fetch()
            self._cache = {k: v for k, v in self._cache.items() if v[1] > now}
            self._cache[key] = (token, now + max(0.0, lifetime - 30))
            return token

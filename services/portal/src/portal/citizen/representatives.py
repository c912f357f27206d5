"""Someone acting for the person: the person sees who may act for them, adds a family member,
friend or appointee (by the email address they sign in with), and removes them; someone
authorised by more than one person (or with a record of their own) chooses whom they act for.
Every service call made while acting names both: the token's subject is the one acting, its
person the one acted for."""

import re
from typing import Annotated

from contracts.api.assessment import DecisionHistory
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from portal.access import citizen
from portal.authorities import RELATIONSHIPS
from portal.citizen.pages import Source, go, page, read_all
from portal.forms import Form
from portal.i18n import N_
from portal.i18n import gettext as _
from portal.security import check_csrf, client_address
from portal.sessions import SignedIn

router = APIRouter()
Citizen = Annotated[SignedIn, Depends(citizen)]
RELATIONSHIP_NAMES = {
    "family": N_("A family member"),
    "friend": N_("A friend"),
    "appointee": N_("An appointee (someone who manages your benefits for you)"),
}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _own(user: SignedIn) -> bool:
    """Only the person themself says who may act for them."""
    return not user.acting


@router.get("/representatives")
async def listed(request: Request, user: Citizen) -> Response:
    found = await request.app.state.authorities.of_person(str(user.person_id)) if _own(user) else []
    return page(
        request,
        "citizen/representatives/list.html",
        title=_("People who can act for you"),
        authorities=found,
        own=_own(user),
        names=RELATIONSHIP_NAMES,
        added=request.query_params.get("added") == "1",
        removed=request.query_params.get("removed") == "1",
        back="/account",
    )


def _add_page(request: Request, form: Form) -> Response:
    return page(
        request,
        "citizen/representatives/add.html",
        422 if form.errors else 200,
        title=_("Who can act for you?"),
        form=form,
        errors=form.errors,
        relationships=[(r, RELATIONSHIP_NAMES[r]) for r in RELATIONSHIPS],
        back="/representatives",
    )


@router.get("/representatives/add")
async def add(request: Request, user: Citizen) -> Response:
    return _add_page(request, Form()) if _own(user) else go("/representatives")


@router.post("/representatives/add", dependencies=[Depends(check_csrf)])
async def added(request: Request, user: Citizen) -> Response:
    if not _own(user):
        return go("/representatives")
    form = Form(values={k: str(v).strip() for k, v in (await request.form()).items()})
    if not form.get("name"):
        form.error("name", _("Enter their full name"))
    elif len(form.get("name")) > 200:
        form.error("name", _("Their name must be 200 characters or fewer"))
    email = form.get("email")
    if not email:
        form.error("email", _("Enter their email address"))
    elif len(email) > 320 or not EMAIL.match(email):
        form.error(
            "email", _("Enter an email address in the correct format, like name@example.com")
        )
    elif user.email and email.lower() == user.email.lower():
        form.error("email", _("Enter someone else's email address, not your own"))
    if form.get("relationship") not in RELATIONSHIPS:
        form.error("relationship", _("Select who they are to you"), "relationship")
    if not form.ok:
        return _add_page(request, form)
    history = await read_all(
        request,
        user,
        history=Source("assessment", f"/people/{user.person_id}/decisions", DecisionHistory),
    )
    authority = await request.app.state.authorities.grant(
        person_id=str(user.person_id),
        person_name=history.history.full_name if history.history else None,
        email=email,
        name=form.get("name"),
        relationship=form.get("relationship"),
        granted_by=user.subject,
    )
    await request.app.state.security.record(
        "authority_granted",
        client=client_address(request),
        subject=user.subject,
        authority=authority.authority_id,
    )
    return go("/representatives?added=1")


@router.get("/representatives/{authority_id}/remove")
async def remove(request: Request, user: Citizen, authority_id: str) -> Response:
    found = [
        a
        for a in await request.app.state.authorities.of_person(str(user.person_id))
        if a.authority_id == authority_id
    ]
    if not found or not _own(user):
        return go("/representatives")
    return page(
        request,
        "citizen/representatives/remove.html",
        title=_("Stop %(name)s acting for you?") % {"name": found[0].name},
        authority=found[0],
        back="/representatives",
    )


@router.post("/representatives/{authority_id}/remove", dependencies=[Depends(check_csrf)])
async def removed(request: Request, user: Citizen, authority_id: str) -> Response:
    if _own(user) and await request.app.state.authorities.revoke(
        authority_id, str(user.person_id), user.subject
    ):
        await request.app.state.security.record(
            "authority_revoked",
            client=client_address(request),
            subject=user.subject,
            authority=authority_id,
        )
    return go("/representatives?removed=1")


@router.get("/acting-for")
async def choose(request: Request, user: Citizen) -> Response:
    choices = await request.app.state.authorities.for_email(user.email)
    return page(
        request,
        "citizen/representatives/choose.html",
        title=_("Who are you acting for?"),
        choices=choices,
        own_record=user.own_person_id is not None,
        current=user.acting_authority_id or "self",
        form=Form(),
    )


@router.post("/acting-for", dependencies=[Depends(check_csrf)])
async def chosen(request: Request, user: Citizen) -> Response:
    choice = str((await request.form()).get("acting_for", ""))
    if choice == "self" and user.own_person_id:
        await request.app.state.sessions.act_as(user, user.own_person_id, None)
        return go("/account")
    authority = await request.app.state.authorities.live(choice, user.email)
    if authority is None:
        return go("/acting-for")
    await request.app.state.sessions.act_as(user, authority.person_id, authority.authority_id)
    await request.app.state.security.record(
        "acting_started",
        client=client_address(request),
        subject=user.subject,
        authority=authority.authority_id,
    )
    return go("/account")

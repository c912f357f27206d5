"""Staff authorise someone to act for a person (an appointee, say, for someone who cannot
manage their own claim), always with a reason; the person sees them and can remove them like
anyone they added themselves."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from portal.access import staff_with
from portal.authorities import RELATIONSHIPS
from portal.citizen.pages import go, page
from portal.citizen.representatives import EMAIL, RELATIONSHIP_NAMES
from portal.forms import Form
from portal.i18n import gettext as _
from portal.security import check_csrf, client_address
from portal.sessions import SignedIn

router = APIRouter(prefix="/staff/people/{person_id}/representatives")
Assessor = Annotated[SignedIn, Depends(staff_with("assessor"))]
PersonId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


def _form_page(request: Request, person_id: str, form: Form) -> Response:
    return page(
        request,
        "citizen/representatives/staff_add.html",
        422 if form.errors else 200,
        title=_("Authorise someone to act for this person"),
        form=form,
        errors=form.errors,
        person_id=person_id,
        relationships=[(r, RELATIONSHIP_NAMES[r]) for r in RELATIONSHIPS],
    )


@router.get("/add")
async def add(request: Request, user: Assessor, person_id: PersonId) -> Response:
    return _form_page(request, person_id, Form(values={"relationship": "appointee"}))


@router.post("/add", dependencies=[Depends(check_csrf)])
async def added(request: Request, user: Assessor, person_id: PersonId) -> Response:
    form = Form(values={k: str(v).strip() for k, v in (await request.form()).items()})
    if not form.get("name") or len(form.get("name")) > 200:
        form.error("name", _("Enter their full name (200 characters or fewer)"))
    if not EMAIL.match(form.get("email")) or len(form.get("email")) > 320:
        form.error(
            "email", _("Enter an email address in the correct format, like name@example.com")
        )
    if form.get("relationship") not in RELATIONSHIPS:
        form.error("relationship", _("Select who they are to the person"))
    if not form.get("reason"):
        form.error("reason", _("Enter why you are authorising them"))
    elif len(form.get("reason")) > 2000:
        form.error("reason", _("The reason must be 2000 characters or fewer"))
    if not form.ok:
        return _form_page(request, person_id, form)
    authority = await request.app.state.authorities.grant(
        person_id=person_id,
        person_name=None,
        email=form.get("email"),
        name=form.get("name"),
        relationship=form.get("relationship"),
        granted_by=user.subject,
        reason=form.get("reason"),
    )
    await request.app.state.security.record(
        "authority_granted",
        client=client_address(request),
        subject=user.subject,
        authority=authority.authority_id,
        reason=form.get("reason"),
    )
    return go(f"/staff/people/{person_id}/representatives/added")


@router.get("/added")
async def done(request: Request, user: Assessor, person_id: PersonId) -> Response:
    return page(
        request,
        "citizen/done.html",
        title=_("Authorised"),
        panel_text=_("They can now sign in and act for this person"),
        next_steps=[_("The person can see who acts for them in their account, and remove them.")],
        onward_href="/staff",
        onward_text=_("Back to the staff home"),
    )

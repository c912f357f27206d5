"""Who a token is, whom a policy admits, and which audit rows a request leaves (no I/O)."""

import pytest
from servicekit.access import edge_entries, write_entries
from servicekit.auth import Policy, Principal
from servicekit.context import AccessContext, acting

PERSON = Principal("urn:fdc:one", "portal", frozenset(), frozenset(), "P1", actor="portal")
STAFF = Principal(
    "urn:staff:asha", "portal", frozenset({"assessor", "reviewer"}), frozenset(), actor="portal"
)
SERVICE = Principal("assessment", "assessment", frozenset(), frozenset())
NOBODY = Principal("urn:fdc:new", "portal", frozenset(), frozenset(), actor="portal")


def test_a_token_is_a_person_staff_a_service_or_a_user() -> None:
    assert [p.kind for p in (PERSON, STAFF, SERVICE, NOBODY)] == [
        "person",
        "staff",
        "service",
        "user",
    ]
    assert STAFF.role_in(["reviewer"]) == "reviewer" and STAFF.role_in() == "assessor,reviewer"
    assert SERVICE.is_service and not NOBODY.is_service  # a user's token names the portal


def test_someone_acting_for_the_person_is_on_the_trail_as_their_representative() -> None:
    family = Principal(
        "urn:fdc:daughter", "portal", frozenset(), frozenset(), "P1", "portal", authority_id="A7"
    )
    assert family.kind == "person" and family.may_act_for("P1") and not family.may_act_for("P2")
    assert family.role_in() == "representative:A7" and PERSON.role_in() == "person"


@pytest.mark.parametrize(
    ("policy", "admitted"),
    [
        (Policy(roles=frozenset({"assessor"})), {"staff"}),
        (Policy(person=True), {"person"}),
        (Policy(services=True), {"service"}),
        (Policy(roles=frozenset({"operations"}), person=True), {"person"}),
        (Policy(), {"person", "staff", "service", "user"}),  # any holder of the scopes
    ],
)
def test_a_policy_admits_only_whom_it_names(policy: Policy, admitted: set[str]) -> None:
    assert {p.kind for p in (PERSON, STAFF, SERVICE, NOBODY) if policy.admits(p)} == admitted


def _context(principal: Principal = STAFF, action: str = "read") -> AccessContext:
    return AccessContext("GET /people/{person_id}", action, principal=principal, role="assessor")


def test_a_read_leaves_a_row_per_person_looked_at_and_each_refusal() -> None:
    context = _context()
    context.note("P1", True)
    context.note("P2", False)
    rows = edge_entries(context, 200)
    assert [(r.person_id, r.action, r.outcome) for r in rows] == [
        ("P2", "read", "denied"),
        ("P1", "read", "allowed"),
    ]
    assert [r.person_id for r in edge_entries(context, 503)] == ["P2"]  # no data went out
    assert edge_entries(AccessContext("GET /x", "read"), 200) == []  # no token, no row


def test_a_change_is_recorded_once_by_its_transaction_not_again_at_the_edge() -> None:
    context = _context(action="write")
    context.note("P1", True)
    with acting(context):
        first = write_entries({"P1", "P3"})
        assert write_entries({"P1"}) == []  # a second commit of the same request, same people
    assert [(r.person_id, r.action) for r in first] == [("P1", "write"), ("P3", "write")]
    assert edge_entries(context, 200) == []
    assert write_entries({"P9"}) == []  # outside a request (a consumer): nothing


def test_a_change_to_no_ones_record_is_still_recorded() -> None:
    with acting(_context(action="write")):
        [row] = write_entries(set())
    assert (row.person_id, row.actor, row.role) == (None, "urn:staff:asha", "assessor")

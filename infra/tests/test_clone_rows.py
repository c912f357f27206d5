"""Cloning template people's rows (devstack.clone_rows): each id found by its shape and rewritten
the same way in every row, derived ids recomputed, and a row it cannot clone faithfully refused."""

import uuid

import pytest
from devstack.clone_rows import CloneError, Derived, render, template_people

NS = uuid.UUID("fb4824e9-9530-51d3-b058-cb70eaa0351c")
PEOPLE = {"000000000": 0, "000000001": 1}
RUN = "AW0123456789abcd"  # in both people's rows: no one's


def event(k: int) -> str:
    return str(uuid.UUID(int=k + 1, version=4))


def key(event_id: str, person: str) -> str:
    return str(uuid.uuid5(NS, f"{event_id}|{person}"))


NOTIFIED = Derived(
    "messages", "id", lambda r: key(r["event_id"], r["person_id"]), ("event_id", "person_id")
)


def lines(k: int) -> dict[tuple[str, str], list[str]]:
    person, e = f"P{k:09d}", event(k)
    return {
        ("a", "outbox"): [f'{e}\t{person}\t{{"case": "C{k:09d}", "run": "{RUN}"}}'],
        ("b", "inbox"): [f"consumer\t{e}\tDecisionMade"],
        ("b", "messages"): [f"{key(e, person)}\t{person}\t{e}\tplan {person}:D{k:09d}"],
    }


def source() -> dict[tuple[str, str], list[str]]:
    merged: dict[tuple[str, str], list[str]] = {}
    for k in PEOPLE.values():
        for table, rows in lines(k).items():
            merged.setdefault(table, []).extend(rows)
    return merged


def derived_rows() -> list:
    return [
        (NOTIFIED, {"id": uuid.UUID(key(event(k), f"P{k:09d}")), "event_id": event(k),
                    "person_id": f"P{k:09d}"})
        for k in PEOPLE.values()
    ]  # fmt: skip


def clone(number: int, table: tuple[str, str], rows=None) -> list[str]:
    persons = template_people(rows or source(), PEOPLE, derived_rows())
    person = persons[number % len(persons)]
    ids = person.ids_for(number)
    return [render(parts, ids) for parts in person.lines[table]]


def test_person_numbered_ids_take_the_new_number() -> None:
    (outbox,) = clone(123, ("a", "outbox"))
    assert "P000000123" in outbox and '"case": "C000000123"' in outbox
    (message,) = clone(123, ("b", "messages"))
    assert message.endswith("plan P000000123:D000000123")


def test_a_random_id_becomes_the_same_new_id_in_every_database() -> None:
    (outbox,), (inbox,) = clone(7, ("a", "outbox")), clone(7, ("b", "inbox"))
    new_event = outbox.split("\t")[0]
    assert new_event != event(1) and uuid.UUID(new_event).version == 4
    assert inbox == f"consumer\t{new_event}\tDecisionMade"
    assert clone(9, ("a", "outbox"))[0].split("\t")[0] != new_event  # another person, another id


def test_an_id_two_template_people_share_is_kept() -> None:
    (outbox,) = clone(7, ("a", "outbox"))
    assert f'"run": "{RUN}"' in outbox


def test_a_derived_id_is_recomputed_from_the_new_values() -> None:
    (outbox,), (message,) = clone(8, ("a", "outbox")), clone(8, ("b", "messages"))
    assert message.split("\t")[0] == key(outbox.split("\t")[0], "P000000008")


def test_a_derived_uuid_with_no_rule_is_refused() -> None:
    rows = source()
    rows[("b", "inbox")][0] += f"\t{key('x', 'P000000000')}"
    with pytest.raises(CloneError, match="derived .version 5. UUID"):
        clone(5, ("b", "inbox"), rows)


def test_a_rule_that_no_longer_computes_the_stored_id_is_refused() -> None:
    stale = Derived("messages", "id", lambda r: str(uuid.uuid4()), ("event_id",))
    with pytest.raises(CloneError, match="not what the seeding computes"):
        template_people(source(), PEOPLE, [(stale, derived_rows()[0][1])])


@pytest.mark.parametrize(
    ("row", "refusal"),
    [
        ("consumer\tsome text with no id", "about no template person"),
        ("P000000000\tP000000001", "about two template people"),
        ("P000000042\tnot a template person", "of no template person"),
        ("P000000000\tcb1.abc", "sealed value"),
    ],
)
def test_a_row_it_cannot_clone_faithfully_is_refused(row: str, refusal: str) -> None:
    rows = source()
    rows[("b", "inbox")].append(row)
    with pytest.raises(CloneError, match=refusal):
        template_people(rows, PEOPLE, derived_rows())

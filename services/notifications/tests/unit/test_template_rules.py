import pytest
from notifications.adapters.templates import TemplateDataError, parse_template
from notifications.domain.channels import AccessibleFormat, Channel
from notifications.domain.templates import Template, TemplateError, Variant

INBOX = Variant(Channel.INBOX, "Hello ((first_name))", subject="Hi")


def template(*variants: Variant, fields=("first_name",), **overrides) -> Template:
    return Template(
        **{
            "id": "greeting",
            "version": 1,
            "variants": variants or (INBOX,),
            "personalisation": frozenset(fields),
            **overrides,
        }
    )


def test_a_well_formed_template_is_accepted_and_variants_take_plain_strings():
    built = template(INBOX, Variant("sms", "Hi ((first_name))"))
    assert built.channels() == {Channel.INBOX, Channel.SMS}
    assert built.variant("sms").channel is Channel.SMS


@pytest.mark.parametrize(
    ("overrides", "variants", "fields", "problem"),
    [
        ({"id": "Decision Made"}, (), ("first_name",), "slug"),
        ({"version": 0}, (), ("first_name",), "version"),
        ({"version": True}, (), ("first_name",), "version"),
        ({}, (Variant(Channel.EMAIL, "((first_name))", "S"),), ("first_name",), "inbox"),
        ({}, (INBOX, INBOX), ("first_name",), "share a channel"),
        ({}, (), (), "undeclared personalisation ['first_name']"),
        ({}, (), ("first_name", "spare"), "declared but unused ['spare']"),
        ({}, (INBOX, Variant(Channel.SMS, "((first_name))", "S")), ("first_name",), "no subject"),
        ({}, (INBOX, Variant(Channel.EMAIL, "((first_name))")), ("first_name",), "needs a subject"),
        ({}, (Variant(Channel.INBOX, "((First Name))", "S"),), ("First Name",), "snake_case"),
        ({}, (Variant(Channel.INBOX, "((a)) b))", "S"),), ("a",), "unbalanced"),
        ({}, (INBOX, Variant(Channel.SMS, "x" * 919)), ("first_name",), "over 918"),
        (
            {},
            (INBOX, Variant(Channel.LETTER, "((first_name))", "S", AccessibleFormat.LARGE_PRINT)),
            ("first_name",),
            "letter/large_print has no standard variant",
        ),
        (
            {},
            (INBOX, Variant(Channel.EMAIL, "((first_name))", "S", AccessibleFormat.BRAILLE)),
            ("first_name",),
            "email cannot be braille",
        ),
    ],
)
def test_a_broken_template_is_refused_naming_the_problem(overrides, variants, fields, problem):
    with pytest.raises(TemplateError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        template(*variants, fields=fields, **overrides)


def test_the_accessible_variant_is_chosen_when_present_and_the_standard_one_otherwise():
    standard = Variant(Channel.LETTER, "((first_name))", "Letter")
    large = Variant(Channel.LETTER, "((first_name))", "Large", AccessibleFormat.LARGE_PRINT)
    built = template(INBOX, standard, large)
    assert built.variant(Channel.LETTER, AccessibleFormat.LARGE_PRINT) is large
    assert built.variant(Channel.LETTER, AccessibleFormat.BRAILLE) is standard
    assert not built.has_variant(Channel.LETTER, AccessibleFormat.BRAILLE)
    with pytest.raises(KeyError, match="no email variant"):
        built.variant(Channel.EMAIL)


GOOD_YAML = """
id: greeting
version: 2
personalisation: {first_name: The person's first name.}
variants:
  - {channel: inbox, subject: Hello, body: "Hello ((first_name))"}
  - {channel: letter, format: easy_read, subject: Hello, body: "Hi ((first_name))"}
  - {channel: letter, subject: Hello, body: "Dear ((first_name))"}
"""


def test_the_loader_builds_a_template_from_yaml():
    loaded = parse_template(GOOD_YAML)
    assert (loaded.id, loaded.version) == ("greeting", 2)
    assert loaded.variant(Channel.LETTER, AccessibleFormat.EASY_READ).body == "Hi ((first_name))"


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (("version: 2", ""), "version"),
        (("channel: inbox", "channel: pigeon"), "pigeon"),
        (("format: easy_read", "format: tiny"), "tiny"),
        (("{first_name: The person's first name.}", "[first_name]"), "personalisation"),
        (("Hello ((first_name))", "Hello ((surname))"), "undeclared"),
        (("subject: Hello, body", "subject: 7, body"), "subject must be text"),
    ],
)
def test_the_loader_refuses_a_bad_file_naming_it(edit, problem):
    with pytest.raises(TemplateDataError, match=f"greeting.yaml.*{problem}"):
        parse_template(GOOD_YAML.replace(*edit, 1), source="greeting.yaml")

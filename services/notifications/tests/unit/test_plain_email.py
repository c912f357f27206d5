"""The sender writes a plain email's bytes directly: they must be the bytes the email package
makes for it, and anything not plain must go the email package's way."""

import uuid
from email import policy

import pytest
from notifications.adapters.smtp import SmtpEmail, plain_email
from notifications.domain.channels import Channel
from notifications.service_layer.ports import Outgoing

DATE = "Wed, 02 Dec 2026 00:44:05 +0000"
LONG = "x" * 79
BODIES = [
    "Dear Amina,\n\nWe have paid you £1,180.83 on 15 May 2026.\n",
    "Plain ASCII only\nsecond line",
    "",
    "\n",
    "one\n\n\n",
    ".leading dot\n..two\n",
    "crlf\r\nlines\r\nmixed\rcr\n",
    "tab\there and  two spaces \n",
    "x" * 78 + "\n" + "é" * 39,
    "Your Care Benefit statement for 1 April 2026 to 30 April 2026 is ready.\n\n"
    "We paid you £1,180.83 for this period. Your statement shows how we worked this out.\n",
    "\n".join(
        f"line {n} " + "a longer line, over the email package's 78 characters " * 2
        for n in range(12)
    ),
    "=équals= " * 20,
]
SUBJECTS = ["Your Care Benefit payment", "", "Payment: £10", "two  spaces", " lead", "s" * 60]
RECIPIENTS = ["person1@example.com", "a.b+c@mail.example.co.uk", "a..b@example.com", "Ämil@x.org"]


def outgoing(recipient: str, subject: str, body: str) -> Outgoing:
    return Outgoing(uuid.uuid4(), Channel.EMAIL, recipient, "t", "none", subject, body, {}, 1)


@pytest.fixture(scope="module")
def email() -> SmtpEmail:
    return SmtpEmail(
        "localhost",
        25,
        mail_from="Care Benefit <noreply@carebenefit.service.gov.uk>",
        message_id_domain="carebenefit.service.gov.uk",
    )


@pytest.mark.parametrize("body", [*BODIES, LONG, "é" * 40])
@pytest.mark.parametrize("subject", SUBJECTS)
@pytest.mark.parametrize("recipient", RECIPIENTS)
def test_a_plain_email_is_the_email_packages_bytes(email, recipient, subject, body) -> None:
    message = outgoing(recipient, subject, body)
    message_id = email.message_id(message)
    direct = plain_email(email._from_line, message, DATE, message_id)
    built = email.build(message, DATE).as_bytes(policy=policy.SMTP)
    assert direct is None or direct == built


@pytest.mark.parametrize("body", [BODIES[0], BODIES[-3], BODIES[-2]])
def test_the_usual_email_is_written_directly(email, body) -> None:
    message = outgoing("person1@example.com", "Your payment", body)
    assert plain_email(email._from_line, message, DATE, email.message_id(message)) is not None


@pytest.mark.parametrize(
    ("recipient", "subject", "body"),
    [
        ("Ämil@x.org", "Hi", "body\n"),  # not a plain address
        ("a@example.com\r\nBcc: b@example.com", "Hi", "body\n"),  # header injection
        ("a@example.com", "Hi\r\nBcc: b@example.com", "body\n"),
        ("a@example.com", "Payment: £10", "body\n"),  # needs encoding
        ("a@example.com", "", "body\n"),  # written "Subject:" with no space
        ("a@example.com", "s" * 70, "body\n"),  # folded
        ("a@example.com", "Hi", "é" * 40),  # base64 is shorter than quoted-printable
    ],
)
def test_anything_else_goes_the_email_packages_way(email, recipient, subject, body) -> None:
    message = outgoing(recipient, subject, body)
    assert plain_email(email._from_line, message, DATE, email.message_id(message)) is None

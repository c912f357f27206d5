from portal.notify_markup import notify_to_html


def test_notify_formatting_becomes_govuk_html() -> None:
    html = notify_to_html(
        "Dear Ada\n\n# What you will get\n\n* £10 a week\n* from 1 May\n\n^ Ask by 1 June"
    )
    assert html == (
        '<p class="govuk-body">Dear Ada</p><h3 class="govuk-heading-s">What you will get</h3>'
        '<ul class="govuk-list govuk-list--bullet"><li>£10 a week</li><li>from 1 May</li></ul>'
        '<div class="govuk-inset-text">Ask by 1 June</div>'
    )


def test_text_is_escaped_before_it_is_wrapped() -> None:
    html = notify_to_html("<script>alert(1)</script>\n# <b>x</b>")
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;x&lt;/b&gt;" in html

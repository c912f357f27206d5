"""GOV.UK Notify's plain-text formatting (# heading, * bullet, ^ inset, blank-line paragraphs)
as GOV.UK Frontend HTML. Every piece of text is escaped before it is wrapped."""

from markupsafe import Markup, escape


def notify_to_html(body: str) -> Markup:
    blocks: list[str] = []
    bullets: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if bullets:
            items = "".join(f"<li>{b}</li>" for b in bullets)
            blocks.append(f'<ul class="govuk-list govuk-list--bullet">{items}</ul>')
            bullets.clear()
        if paragraph:
            blocks.append(f'<p class="govuk-body">{"<br>".join(paragraph)}</p>')
            paragraph.clear()

    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("# "):
            flush()
            blocks.append(f'<h3 class="govuk-heading-s">{escape(line[2:])}</h3>')
        elif line.startswith(("* ", "- ")):
            if paragraph:
                flush()
            bullets.append(str(escape(line[2:])))
        elif line.startswith("^ "):
            flush()
            blocks.append(f'<div class="govuk-inset-text">{escape(line[2:])}</div>')
        else:
            if bullets:
                flush()
            paragraph.append(str(escape(line)))
    flush()
    return Markup("".join(blocks))  # noqa: S704 (every piece of text is escaped above)

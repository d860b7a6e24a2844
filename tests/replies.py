"""Replies to a tracker e-mail built as the mail programs leads use write them.

Each builder takes the message the lead received (as it arrived in the SMTP sink) and the
words they typed, and returns the reply's bytes with the headers, parts, quoting and
attribution lines those programs produce: Outlook for Windows (Microsoft 365), Gmail, and
Apple Mail on iPhone and Mac. The layouts follow what each program sends today.
"""

from __future__ import annotations

import html
import textwrap
import uuid
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage, Message
from email.utils import format_datetime, parseaddr

SENT = datetime(2021, 8, 10, 9, 14, tzinfo=UTC)
DISCLAIMER = (
    "This email, including attachments, may contain confidential information. If you have "
    "received it in error, please notify the sender by reply and delete it immediately. "
    "Views expressed by the sender may not be those of Oxfordshire County Council. Council "
    "emails are subject to the Freedom of Information Act 2000."
)


def _original_text(original: Message) -> str:
    part = original.get_body(preferencelist=("plain",)) if hasattr(original, "get_body") else None
    if part is None:
        for sub in original.walk():
            if sub.get_content_type() == "text/plain":
                part = sub
                break
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


def _original_html(original: Message) -> str:
    for sub in original.walk():
        if sub.get_content_type() == "text/html":
            return sub.get_payload(decode=True).decode(sub.get_content_charset() or "utf-8")
    return "<p>" + html.escape(_original_text(original)) + "</p>"


def _reply_to(original: Message) -> str:
    return str(original.get("Reply-To") or original["From"])


def _headers(
    reply: EmailMessage, original: Message, sender: str, to: str | None, subject_prefix: str
) -> None:
    reply["From"] = sender
    reply["To"] = to or _reply_to(original)
    reply["Subject"] = f"{subject_prefix}{original['Subject']}"
    reply["Date"] = format_datetime(SENT)
    reply["In-Reply-To"] = original["Message-ID"]
    reply["References"] = original["Message-ID"]


def _text_quoted(original: Message) -> str:
    return "\n".join(f"> {line}".rstrip() for line in _original_text(original).splitlines())


def outlook(
    original: Message,
    typed: str,
    *,
    sender: str = "David Clarke <david.clarke@example.org>",
    to: str | None = None,
    html_only: bool = False,
    attachments: int = 0,
) -> bytes:
    """Outlook for Windows: "RE:", the typed text, a signature block without a delimiter,
    then the "From: / Sent: / To: / Subject:" block and the original unquoted below it, with
    the organisation's disclaimer added at the end by its mail gateway."""
    name = parseaddr(sender)[0]
    sent = "Tuesday, August 10, 2021 8:00 AM"
    plain = (
        f"{typed}\n\nKind regards\n{name.split()[0]}\n\n{name}\nHead of Early Help | "
        "Oxfordshire County Council\nTel: 01865 000000 | Mob: 07700 900000\n\n"
        f"From: {original['From']}\nSent: {sent}\nTo: {original['To']}\n"
        f"Subject: {original['Subject']}\n\n{_original_text(original)}\n\n{DISCLAIMER}\n"
    )
    paragraphs = "".join(
        f'<p class="MsoNormal">{html.escape(line) or "&nbsp;"}<o:p></o:p></p>'
        for line in typed.split("\n")
    )
    rich = (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>'
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        "<style><!-- p.MsoNormal {margin:0cm; font-size:11.0pt; font-family:Calibri} --></style>"
        '</head><body lang="EN-GB" link="#0563C1"><div class="WordSection1">'
        f'{paragraphs}<p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
        f'<p class="MsoNormal">Kind regards<o:p></o:p></p><p class="MsoNormal">'
        f"{html.escape(name.split()[0])}<o:p></o:p></p>"
        f'<p class="MsoNormal"><b>{html.escape(name)}</b><br>Head of Early Help | Oxfordshire '
        'County Council<br>Tel: 01865 000000<o:p></o:p></p><p class="MsoNormal"><img '
        'width="120" height="40" src="cid:image001.png@01D78DB2.5A4C3F10" alt="OCC logo">'
        '</p><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">'
        f'<p class="MsoNormal"><b>From:</b> {html.escape(original["From"])} <br><b>Sent:</b> '
        f"{sent}<br><b>To:</b> {html.escape(original['To'])}<br><b>Subject:</b> "
        f"{html.escape(original['Subject'])}<o:p></o:p></p></div>"
        f"{_original_html(original)}<p>{html.escape(DISCLAIMER)}</p></div></body></html>"
    )
    reply = EmailMessage(policy=policy.SMTP)
    _headers(reply, original, sender, to, "RE: ")
    reply["Message-ID"] = (
        f"<DB9PR01MB{uuid.uuid4().hex[:20].upper()}@DB9PR01MB7351.eurprd01.prod.exchangelabs.com>"
    )
    reply["Thread-Topic"] = str(original["Subject"])
    reply["Thread-Index"] = "AdeNsnRzZ0hUJ5mNQ8m9lW4q1kQ2Fw=="
    reply["Accept-Language"] = "en-GB, en-US"
    reply["Content-Language"] = "en-GB"
    reply["X-MS-Has-Attach"] = "yes" if attachments else ""
    reply["X-MS-TNEF-Correlator"] = ""
    reply["MIME-Version"] = "1.0"
    if html_only:
        reply.set_content(rich, subtype="html")
    else:
        reply.set_content(plain)
        reply.add_alternative(rich, subtype="html")
    related = reply.get_body(preferencelist=("html",))
    related.add_related(
        b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
        maintype="image",
        subtype="png",
        cid="<image001.png@01D78DB2.5A4C3F10>",
        filename="image001.png",
        disposition="inline",
    )
    for n in range(attachments):
        reply.add_attachment(
            b"%PDF-1.4\n% a report\n",
            maintype="application",
            subtype="pdf",
            filename=f"Report {n + 1}.pdf",
        )
    return reply.as_bytes()


def _alternative(
    original: Message,
    sender: str,
    to: str | None,
    message_id: str,
    plain: str,
    rich: str,
    extra: dict[str, str] | None = None,
) -> bytes:
    """A "Re:" reply with a text and an HTML part, as Gmail and Apple Mail send them."""
    reply = EmailMessage(policy=policy.SMTP)
    _headers(reply, original, sender, to, "Re: ")
    reply["Message-ID"] = message_id
    reply["MIME-Version"] = "1.0"
    for name, value in (extra or {}).items():
        reply[name] = value
    reply.set_content(plain)
    reply.add_alternative(rich, subtype="html")
    return reply.as_bytes()


def gmail(
    original: Message,
    typed: str,
    *,
    sender: str = "David Clarke <david.clarke@example.org>",
    to: str | None = None,
) -> bytes:
    """Gmail: "Re:", the typed text and a "-- " signature, then the attribution line wrapped
    as Gmail wraps it and the original quoted with "> "; the HTML quotes it in a
    gmail_quote blockquote."""
    name = parseaddr(sender)[0]
    attribution = textwrap.fill(
        f"On Tue, 10 Aug 2021 at 08:00, {original['From']} wrote:", width=78
    )
    plain = f"{typed}\n\n-- \n{name}\nOxfordshire County Council\n\n{attribution}\n\n"
    plain += _text_quoted(original) + "\n"
    typed_html = "".join(f"<div>{html.escape(line) or '<br>'}</div>" for line in typed.split("\n"))
    rich = (
        f'<div dir="ltr">{typed_html}<br clear="all"><div><br></div><span class="gmail_signature_'
        f'prefix">-- </span><br><div dir="ltr" class="gmail_signature">{html.escape(name)}<br>'
        'Oxfordshire County Council</div></div><br><div class="gmail_quote"><div dir="ltr" '
        'class="gmail_attr">On Tue, 10 Aug 2021 at 08:00, '
        f'{html.escape(str(original["From"]))} wrote:<br></div><blockquote class="gmail_quote" '
        'style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">'
        f"{_original_html(original)}</blockquote></div>"
    )
    message_id = f"<CAF{uuid.uuid4().hex}+{uuid.uuid4().hex[:12]}@mail.gmail.com>"
    return _alternative(original, sender, to, message_id, plain, rich)


def apple_mail(
    original: Message,
    typed: str,
    *,
    sender: str = "David Clarke <david.clarke@example.org>",
    to: str | None = None,
    iphone: bool = True,
) -> bytes:
    """Apple Mail: on an iPhone "Sent from my iPhone" and the attribution inside the quote;
    on a Mac the attribution above it. The HTML quotes in <blockquote type="cite">."""
    when = "On 10 Aug 2021, at 08:00, " + str(original["From"]) + " wrote:"
    if iphone:
        plain = f"{typed}\n\nSent from my iPhone\n\n> {when}\n> \n{_text_quoted(original)}\n"
    else:
        plain = f"{typed}\n\n{when}\n\n{_text_quoted(original)}\n"
    typed_html = "<br>".join(html.escape(line) for line in typed.split("\n"))
    footer = '<br><br><div dir="ltr">Sent from my iPhone</div>' if iphone else ""
    rich = (
        '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head>'
        f'<body dir="auto"><div dir="ltr">{typed_html}</div>{footer}<div dir="ltr"><br>'
        f'<blockquote type="cite">{html.escape(when)}<br><br></blockquote></div>'
        f'<blockquote type="cite"><div dir="ltr">{_original_html(original)}</div></blockquote>'
        "</body></html>"
    )
    mailer = "iPhone Mail (20G75)" if iphone else "Apple Mail (2.3731.700.6)"
    message_id = f"<{str(uuid.uuid4()).upper()}@example.org>"
    return _alternative(original, sender, to, message_id, plain, rich, {"X-Mailer": mailer})


def plain(
    to: str,
    text: str,
    *,
    sender: str = "David Clarke <david.clarke@example.org>",
    subject: str = "Progress update",
    headers: dict[str, str] | None = None,
    message_id: str | None = None,
) -> bytes:
    """A short plain-text message, for the rules that do not depend on the mail program."""
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(SENT)
    message["Message-ID"] = message_id or f"<{uuid.uuid4().hex}@example.org>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    return message.as_bytes()


def out_of_office(to: str, original_subject: str, *, sender: str) -> bytes:
    """Exchange's automatic reply: "Automatic reply:" and Auto-Submitted: auto-replied."""
    return plain(
        to,
        "I am out of the office until 1 September with no access to e-mail. For anything "
        "urgent please contact the Early Help duty desk.",
        sender=sender,
        subject=f"Automatic reply: {original_subject}",
        headers={"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"},
    )


def delivery_report(to: str) -> bytes:
    """A delivery-status report (RFC 3464) from a mail server, as Postfix writes one."""
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n"
        f"To: {to}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: <{uuid.uuid4().hex}@mx.example.org>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
        "\r\n--B\r\nContent-Type: text/plain\r\n\r\n"
        "This is the mail system at host mx.example.org.\r\n"
        "\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n\r\n"
        "Final-Recipient: rfc822; lead@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "\r\n--B--\r\n"
    ).encode()

"""Render the development plan as HTML and PDF, with the person's words verbatim; and the manager's printable
conversation checklist."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import importlib.util
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Sequence, Tuple

from fpdf import FPDF

from bot.plan import PlanDocument, PlanOption
from bot.settings import Settings, load_settings
from bot.store import CoachStore, document_files
from bot.store.models import utc_now
from bot.store.repository import DocumentRecord

DOCUMENT_PATH = "/webhooks/web/documents/"
CHAT_PATH = "/webhooks/web/"
# The kinds of personal document: the person's plan, a page shared with a manager, a copy of all they hold.
PLAN, SHARE, EXPORT = "plan", "share", "export"
EXPORT_LINK_DAYS = 1  # everything the coach holds about a person, conversations included: a short-lived link
PUBLIC_NAME_CHARS = 24  # a same-for-everyone page is named by this much of its content's hash (publish_page)

_FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)


def _unicode_font() -> Optional[Path]:
    """A TrueType font with wide Unicode coverage (system DejaVu, or the copy matplotlib ships)."""
    for candidate in _FONT_CANDIDATES:
        if candidate.exists():
            return candidate
    spec = importlib.util.find_spec("matplotlib")
    if spec and spec.origin:
        bundled = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
        if bundled.exists():
            return bundled
    return None


# The one inline style of an HTML plan document; the channel allows exactly this by its hash (bot/channels/headers.py).
HTML_STYLE = ("body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;"
              "color:#212b32}h1,h2{color:#005eb8}dt{font-weight:600;margin-top:.8rem}"
              "dd{margin:0 0 0 1rem;white-space:pre-wrap}.said{white-space:pre-wrap}"
              ".checklist li{margin:.7rem 0}.checklist input{width:1.1rem;height:1.1rem;margin-right:.5rem;"
              "vertical-align:-.15rem}@media print{.notes{break-before:page}}")
NEXT_STEP = "Next step: check it is open to me, and talk it through in my conversation."


def _date(day: dt.date) -> str:
    return day.strftime("%-d %B %Y")


def _status(document: PlanDocument) -> str:
    state = "my saved plan" if document.confirmed else "a draft"
    return f"Prepared on {_date(document.created)}, {state}. This is mine: I share it only if I choose."


Parts = list[tuple[str, str]]


def _plan_parts(document: PlanDocument) -> tuple[Parts, Parts]:
    """The plan's own parts as (heading, the person's words): those before the options, and those after."""
    where = "\n".join(part for part in (document.segment, document.placement_explanation) if part)
    review = f"By {_date(document.review_date)}" if document.review_date else None
    before = [("Where I sit on the framework", where), ("What I'm aiming for", document.aim),
              ("My goals", document.goals)]
    after = [("Support I'll need", document.support), ("When I'll review it", review)]
    return [(h, text) for h, text in before if text], [(h, text) for h, text in after if text]


def _option_facts(option: PlanOption) -> str:
    facts = [f"Provider: {option.provider}" if option.provider else "", f"Time: {option.time}" if option.time else "",
             f"Cost: {option.cost}" if option.cost else "", (option.check or "").rstrip(".")]
    return ". ".join(f for f in facts if f)


def _opening(title: str) -> str:
    """A page's head, up to its main content: language, viewport, title and the one style the policy allows."""
    return ("<!doctype html><html lang='en-GB'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)}</title><style>{HTML_STYLE}</style></head><body><main>")


def render_html(document: PlanDocument) -> str:
    """A self-contained, printable, accessible HTML page; every piece of text is escaped."""
    e = html.escape
    before, after = _plan_parts(document)
    parts = [
        _opening(document.title),
        f"<h1>{e(document.title)}</h1>",
        f"<p>{e(_status(document))}</p>",
    ]
    parts += [f"<h2>{e(heading)}</h2><p class='said'>{e(text)}</p>" for heading, text in before]
    if document.options:
        parts.append("<h2>Development options I chose</h2><ul>")
        for option in document.options:
            link = f" <a href='{e(option.link)}'>{e(option.name)}: more information</a>." if option.link else ""
            facts = _option_facts(option)
            parts.append(f"<li><strong>{e(option.name)}</strong>: {e(option.helps)}."
                         f"{' ' + e(facts) + '.' if facts else ''}{link} {e(NEXT_STEP)}</li>")
        parts.append("</ul>")
    parts += [f"<h2>{e(heading)}</h2><p class='said'>{e(text)}</p>" for heading, text in after]
    if document.sections:
        parts.append("<div class='notes'>")
        for title, items in document.sections:
            parts.append(f"<h2>{e(title)}</h2><dl>")
            parts.extend(f"<dt>{e(item.question)}</dt><dd>{e(item.answer)}</dd>" for item in items)
            parts.append("</dl>")
        parts.append("</div>")
    parts.append("</main></body></html>")
    return "".join(parts)


def render_pdf(document: PlanDocument) -> bytes:
    """The same plan as an A4 PDF (Unicode text where a DejaVu font is available); the plan itself on page one."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(document.title)
    pdf.set_lang("en-GB")
    pdf.add_page()
    font = _unicode_font()
    family = "Helvetica"
    if font is not None:
        pdf.add_font("DejaVu", "", str(font))
        family = "DejaVu"

    def text(value: str) -> str:
        # Core fonts are Latin-1 only; without DejaVu, replace what they cannot draw.
        return value if family == "DejaVu" else value.encode("latin-1", "replace").decode("latin-1")

    def heading(value: str, size: int = 13) -> None:
        pdf.ln(2)
        pdf.set_font(family, size=size)
        pdf.set_text_color(0, 94, 184)
        pdf.multi_cell(0, 7, text(value), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(33, 43, 50)

    def paragraph(value: str, size: int = 11, link: str = "") -> None:
        pdf.set_font(family, size=size)
        pdf.multi_cell(0, 5.5, text(value), new_x="LMARGIN", new_y="NEXT", link=link, align="L")

    before, after = _plan_parts(document)
    heading(document.title, 18)
    paragraph(_status(document), 10)
    for title, said in before:
        heading(title)
        paragraph(said)
    if document.options:
        heading("Development options I chose")
        for option in document.options:
            facts = _option_facts(option)
            paragraph(f"• {option.name}: {option.helps}.{' ' + facts + '.' if facts else ''}")
            if option.link:
                pdf.set_text_color(0, 94, 184)
                paragraph(f"  {option.link}", 10, link=option.link)
                pdf.set_text_color(33, 43, 50)
        paragraph(NEXT_STEP, 10)
    for title, said in after:
        heading(title)
        paragraph(said)
    if document.sections:
        pdf.add_page()  # the plan stays on its own page; the notes follow
        for title, items in document.sections:
            heading(title)
            for item in items:
                pdf.set_font(family, size=10)
                pdf.set_text_color(66, 84, 98)
                pdf.multi_cell(0, 5, text(item.question), new_x="LMARGIN", new_y="NEXT")
                pdf.set_text_color(33, 43, 50)
                paragraph(item.answer)
                pdf.ln(2)
    return bytes(pdf.output())


@dataclass(frozen=True)
class Published:
    """A personal document's address (without the extension) and when its link stops working."""

    address: str
    created_at: dt.datetime
    expires_at: dt.datetime

    @property
    def name(self) -> str:
        """The document's name in its link (its record's key)."""
        return self.address.rsplit("/", 1)[-1]

    @property
    def lasts(self) -> str:
        """How long the link works, as the coach says it: "for 7 days, until 9 December"."""
        days = round((self.expires_at - self.created_at).total_seconds() / 86400)
        return f"for {days} day{'s' if days != 1 else ''}, until {self.expires_at.strftime('%-d %B')}"


def lifetime(kind: str, settings: Settings) -> dt.timedelta:
    """How long a link to a personal document of ``kind`` works (COACH_PLAN_LINK_DAYS, COACH_SHARE_LINK_DAYS;
    a copy of everything held, a day)."""
    days = {SHARE: settings.share_link_days, EXPORT: EXPORT_LINK_DAYS}.get(kind, settings.plan_link_days)
    return dt.timedelta(days=days)


def publish(document: PlanDocument, *, owner: str, kind: str, store: CoachStore, pdf: bool = True,
            prompt_ids: Sequence[str] = (), now: Optional[dt.datetime] = None) -> Published:
    """Render a plan or share page as a personal document of ``owner``'s (see :func:`publish_personal`).
    ``prompt_ids``: the answers a share shows."""
    renderings: dict[str, str | bytes] = {"html": render_html(document)}
    if pdf:
        renderings["pdf"] = render_pdf(document)
    return publish_personal(renderings, owner=owner, kind=kind, store=store, prompt_ids=prompt_ids, now=now)


def publish_personal(renderings: Mapping[str, str | bytes], *, owner: str, kind: str, store: CoachStore,
                     prompt_ids: Sequence[str] = (), now: Optional[dt.datetime] = None) -> Published:
    """Write one personal document in several formats (extension -> content) under one unguessable name,
    recorded as ``owner``'s with its expiry, so the link works only until then (or until it is withdrawn)."""
    settings = load_settings()
    settings.documents_dir.mkdir(parents=True, exist_ok=True)
    name = secrets.token_urlsafe(18)
    created = now or utc_now()
    record = DocumentRecord(name, owner, kind, created, created + lifetime(kind, settings), tuple(prompt_ids))
    for extension, content in renderings.items():  # sealed, like the person's words in the database
        document_files.write(store.keyring, name, extension, content)
    store.record_document(record)
    return Published(settings.public_url + DOCUMENT_PATH + name, created, record.expires_at)


def render_gone_html(settings: Settings) -> str:
    """The page a link to a personal document shows once it has expired or been withdrawn: what happened, and
    how to get a new one."""
    e = html.escape
    title = "This link no longer works"
    return "".join([
        _opening(title),
        f"<h1>{e(title)}</h1>",
        "<p>This link has expired or been withdrawn. Links to a plan work for "
        f"{settings.plan_link_days} days and links shared with a manager for {settings.share_link_days} days. "
        "A shared link stops working at once if the person who shared it stops sharing, changes what they "
        "shared, or deletes their data.</p>",
        "<p>If it was your own plan, ask the coach to “send my plan” for a new link. If someone shared it with "
        "you, ask them to share it again.</p>",
        f"<p><a href='{e(settings.public_url + CHAT_PATH)}'>Go to the coach</a></p>",
        "</main></body></html>",
    ])


def render_checklist_html(items: Sequence[Tuple[str, str]], after: Sequence[str]) -> str:
    """The conversation checklist as a page to print or keep open: each (title, question) with a tick box, in
    order, then what to do ``after`` the conversation."""
    e = html.escape
    title = "Scope for Growth conversation checklist"
    parts = [
        _opening(title),
        f"<h1>{e(title)}</h1>",
        "<p>For the conversation itself: tick each item as you cover it. The questions are suggestions; use your "
        "own words.</p>",
        "<ol class='checklist'>",
    ]
    for number, (item, question) in enumerate(items, start=1):
        parts.append(f"<li><input type='checkbox' id='item-{number}'><label for='item-{number}'>"
                     f"<strong>{e(item)}</strong><br>You could ask: “{e(question)}”</label></li>")
    parts.append("</ol>")
    if after:
        parts.append("<h2>After the conversation</h2><ul>")
        parts.extend(f"<li>{e(line)}</li>" for line in after)
        parts.append("</ul>")
    parts.append("<p>From the Scope for Growth career conversations guidance (NHS).</p></main></body></html>")
    return "".join(parts)


def publish_page(page: str) -> str:
    """Publish an HTML page that is the same for everyone (nothing personal in it); returns its address.
    It is written plain, not sealed like a personal document: nothing in it is anyone's.

    Its name is drawn from its content, so each version is written once, however many managers ask for it and
    on whichever server; a new version gets a new name.
    """
    settings = load_settings()
    settings.documents_dir.mkdir(parents=True, exist_ok=True)
    name = _public_name(page.encode("utf-8")) + ".html"
    path = settings.documents_dir / name
    if not path.exists():
        document_files.replace(path, page.encode("utf-8"))  # whole or not at all, for a reader on another server
    return settings.public_url + DOCUMENT_PATH + name


def _public_name(content: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(content).digest()).decode()[:PUBLIC_NAME_CHARS]


def same_for_everyone(path: Path) -> bool:
    """Whether ``path`` is a page :func:`publish_page` wrote: its name is drawn from its content, so a personal
    document (named at random) can never pass for one."""
    if path.suffix != ".html" or len(path.stem) != PUBLIC_NAME_CHARS or not path.is_file():
        return False
    return _public_name(path.read_bytes()) == path.stem

"""Hostile input for every form: the forms read from the pages, and values made for each field.

`page_forms` reads a page's HTML forms the way a browser would submit them (name,
type, current value, options); `hostile_post` draws, with Hypothesis, a POST for one
of them in which some fields keep a plausible value and the others get hostile ones:
control characters, very long or unusual Unicode text, markup, spreadsheet formulas,
huge, negative and malformed numbers, dates at the ends of the calendar, empty values,
the wrong type, several values where one is expected, and fields the form never had.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

from tests.factories import PASSWORD, TOTP_SECRET, totp_code


@dataclass
class SweepRecord:
    """What the sweep covered and found, printed at the end of the run (conftest.py)."""

    totals: Counter = field(default_factory=Counter)
    urls: dict[str, set] = field(default_factory=lambda: defaultdict(set))

    def lines(self) -> list[str]:
        kinds = [
            ("swept", "URLs swept"),
            ("forms", "forms swept (distinct, from pages or NO_PAGE_FORM)"),
            ("read-only", "read-only URLs answering POST, swept with forged fields"),
            ("refusing POST", "URLs refusing POST (405)"),
            ("queried", "URLs queried by GET forms"),
            ("query forms", "GET forms swept (distinct)"),
            ("server errors", "URLs answering a server error"),
            ("half writes", "URLs that refused a POST yet wrote"),
        ]
        found = [f"{label}: {len(self.urls[kind])}" for kind, label in kinds]
        return found + [f"{name}: {count}" for name, count in sorted(self.totals.items())]


SWEEP_RECORD = pytest.StashKey[SweepRecord]()

CONTROL = "".join(chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)])
HOSTILE_TEXT = [
    "",
    " ",
    "\x00",
    "before\x00after",
    "\x1b[31mred\x1b[0m",
    "\x07\x08\x0b\x0c",
    "line\r\nbreak\rand\nmore",
    "\u202eright-to-left override",
    "\ufeffbyte order mark",
    "zero\u200bwidth\u200djoiners",
    "e\u0301\u0301\u0301" * 200,
    "😀👨‍👩‍👧‍👦🏴󠁧󠁢󠁳󠁣󠁴󠁿" * 300,
    "𝕳𝖔𝖘𝖙𝖎𝖑𝖊 \U0010fffd",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7|add:7 }}{% debug %}",
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A9)",
    '=HYPERLINK("http://example.invalid","x")',
    "\t=1+1",
    "' OR '1'='1' --",
    "../../../../etc/passwd",
    "%s%s%s%n",
    "A" * 10_000,
    "é" * 70_000,
    "None",
    "null",
    "true",
    "[]",
    "{}",
]
HOSTILE_NUMBERS = [
    "0",
    "-0",
    "-1",
    "-99999999999999999999",
    "99999999999999999999999999999999",
    "2147483648",
    "9223372036854775808",
    "1e309",
    "-1e309",
    "1e-400",
    "NaN",
    "Infinity",
    "-Infinity",
    "0.000000000000000000001",
    "12345678901234.567",
    "1,000",
    "1 000",
    "٣",
    "0x10",
    "1_000",
]
HOSTILE_DATES = [
    "0001-01-01",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "1899-12-31",
    "1999-12-31",
    "2101-01-01",
    "2024-02-30",
    "2023-02-29",
    "2024-13-01",
    "31/12/2024",
    "12/31/2024",
    "2024-1-1",
    "today",
    "-2024-01-01",
]
HOSTILE_TIMES = ["00:00", "23:59", "24:00", "25:61", "12:60", "-01:00", "10:00:99", "noon", "9"]
# Fields a form never had: a forged POST may add them, and they must change nothing.
EXTRA_NAMES = ["id", "pk", "owner", "group", "status", "version", "is_staff", "user", "created_by"]


@dataclass
class Field:
    name: str
    kind: str  # the input's type, or "select", "textarea"
    value: str | None  # what the browser would submit as it stands (None: nothing)
    options: list[str] = field(default_factory=list)
    multiple: bool = False
    required: bool = False


@dataclass
class FormSpec:
    page: str  # the page that shows the form
    target: str  # where it posts (path and query)
    fields: list[Field]
    multipart: bool = False
    htmx: bool = False
    method: str = "post"

    @property
    def signature(self) -> tuple:
        return (self.method, self.target, tuple(sorted({f.name for f in self.fields})))


def page_forms(content: bytes, page: str) -> list[FormSpec]:
    """The forms of a page: how and where each sends, and its fields as a browser sends
    them. A GET form's target drops the page's query: the browser replaces it."""
    if not content.strip():
        return []
    document = lxml.html.fromstring(content)
    found = []
    for form in document.xpath("//form"):
        hx_post = form.get("hx-post")
        method = "post" if hx_post else (form.get("method") or "get").lower()
        if method not in ("get", "post"):
            continue
        target = urljoin(page, form.get("action") or hx_post or page)
        if method == "get":
            target = urlsplit(target).path
        elements = form.xpath(".//input|.//select|.//textarea|.//button")
        if form.get("id"):
            elements += document.xpath("//*[@form=$id]", id=form.get("id"))
        found.append(
            FormSpec(
                page=page,
                target=_local(target),
                fields=_fields(elements),
                multipart="multipart" in (form.get("enctype") or ""),
                htmx=bool(hx_post),
                method=method,
            )
        )
    return found


def _local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _fields(elements) -> list[Field]:
    by_name: dict[str, Field] = {}
    for element in elements:
        name = element.get("name")
        if not name or name == "csrfmiddlewaretoken" or element.get("disabled") is not None:
            continue
        tag = element.tag
        if tag == "select":
            options = [
                option.get("value", option.text_content() or "")
                for option in element.xpath(".//option")
            ]
            selected = [
                option.get("value", option.text_content() or "")
                for option in element.xpath(".//option[@selected]")
            ]
            multiple = element.get("multiple") is not None
            value = (selected or options[:1] or [None])[0] if not multiple else None
            by_name[name] = Field(name, "select", value, options, multiple, _required(element))
            continue
        if tag == "textarea":
            # A browser drops the newline that opens a textarea's content, as Django writes it.
            text = re.sub(r"^\r?\n", "", element.text or "")
            by_name[name] = Field(name, "textarea", text, required=_required(element))
            continue
        kind = (element.get("type") or ("submit" if tag == "button" else "text")).lower()
        value = element.get("value")
        if kind in ("checkbox", "radio"):
            known = by_name.get(name)
            option = value if value is not None else "on"
            checked = element.get("checked") is not None
            if known is None:
                known = by_name[name] = Field(name, kind, None, [], kind == "checkbox")
            known.options.append(option)
            if checked and known.value is None:
                known.value = option
            continue
        if kind in ("submit", "button", "image", "reset"):
            # A named button sends its value only when it is the one pressed.
            known = by_name.setdefault(name, Field(name, "submit", None))
            known.options.append(value or "")
            continue
        by_name.setdefault(
            name, Field(name, kind, value if value is not None else "", required=_required(element))
        )
    return list(by_name.values())


def _required(element) -> bool:
    return element.get("required") is not None


# Values ------------------------------------------------------------------------------

PLAUSIBLE = {
    "email": "sweep.person@example.org",
    "url": "https://example.org/",
    "tel": "023 8000 0000",
    "number": "1",
    "date": "2026-12-15",
    "time": "10:00",
    "datetime-local": "2026-12-15T10:00",
    "month": "2026-12",
    "password": "a-long-enough-sweep-password",
}
GOOD_CSV = b"quarter,value,note\n2024-25 Q1,1250,From the sweep\n"


def plausible(f: Field) -> str | list[str] | None:
    """A value a careful person might send: the field's own, or a valid-looking one.

    The personas' own password and authenticator code, so that re-authenticating and
    the second factor let the other fields through.
    """
    if f.name in ("password", "oldpassword"):
        return PASSWORD
    if f.name == "code":
        return totp_code(TOTP_SECRET)
    if f.kind in ("checkbox", "submit"):
        return f.value
    if f.kind in ("select", "radio") and (f.value or not f.required):
        return f.value
    if f.kind in ("select", "radio"):
        real = [option for option in f.options if option]
        return real[0] if real else f.value
    if f.kind == "hidden" or f.value or not f.required:
        return f.value
    if f.kind == "time" and "end" in f.name:
        return "11:30"
    return PLAUSIBLE.get(f.kind, "Hostile input sweep")


def text_values() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        st.text(max_size=40),
        st.text(alphabet=st.sampled_from(CONTROL), min_size=1, max_size=5),
        st.from_regex(r"[=+\-@\t\r][A-Za-z0-9(),:\"!*/ ]{0,20}", fullmatch=True),
    )


def number_values() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE_NUMBERS),
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
    )


def date_values() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE_DATES),
        st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(
            dt.date.isoformat
        ),
    )


def time_values() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(HOSTILE_TIMES), st.times().map(dt.time.isoformat))


def datetime_values() -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(lambda d, t: f"{d}T{t}", date_values(), time_values()),
        st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)).map(
            lambda moment: moment.isoformat(timespec="minutes")
        ),
    )


def any_hostile() -> st.SearchStrategy[str]:
    """Any hostile value, whatever the field: the wrong type is a hostile value too."""
    return st.one_of(text_values(), number_values(), date_values(), time_values())


def hostile_for(f: Field) -> st.SearchStrategy:
    """Hostile values for one field, by its type; sometimes several values at once."""
    if f.kind in ("number", "range"):
        own = number_values()
    elif f.kind == "date":
        own = date_values()
    elif f.kind == "time":
        own = time_values()
    elif f.kind in ("datetime-local", "datetime"):
        own = datetime_values()
    elif f.kind in ("select", "radio", "checkbox"):
        real = [option for option in f.options if option]
        own = st.one_of(
            st.sampled_from(real or [""]),
            st.lists(st.sampled_from(f.options or [""]), min_size=2, max_size=4),
            st.sampled_from(["", "0", "-1", "999999999", "99999999999999999999", "a"]),
        )
    elif f.kind == "file":
        return file_values()
    else:
        own = text_values()
    return st.one_of(own, any_hostile(), st.lists(any_hostile(), min_size=2, max_size=3))


def csv_cells() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["2024-25 Q1", "2100-01 Q4", "9999-00 Q1", "0001-02 Q1", "1250", "1,250"]),
        any_hostile(),
    )


def file_values() -> st.SearchStrategy[SimpleUploadedFile]:
    """CSV files with hostile cells, broken quoting and encodings, and binary junk."""
    rows = st.lists(st.lists(csv_cells(), min_size=0, max_size=4), max_size=6)

    def csv_file(headings: str, table: list[list[str]], quote: str, encoding: str) -> bytes:
        lines = [headings] + [",".join(f"{quote}{cell}{quote}" for cell in row) for row in table]
        return "\n".join(lines).encode(encoding, errors="replace")

    contents = st.one_of(
        st.builds(
            csv_file,
            st.sampled_from(["quarter,value,note", "Quarter,Value", "value,quarter", "", "a,b,c"]),
            rows,
            st.sampled_from(["", '"']),
            st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]),
        ),
        st.binary(max_size=200),
        st.sampled_from([b"", b'quarter,value\n"2024-25 Q1,1\n', b"\xff\xfe\x00\x00"]),
    )
    names = st.sampled_from(["values.csv", "values.xlsx", "../../etc/passwd", "", "a" * 300])
    return st.builds(
        lambda content, name: SimpleUploadedFile(name or "unnamed", content, "text/csv"),
        contents,
        names,
    )


@st.composite
def hostile_post(draw, forms: list[FormSpec]) -> tuple[FormSpec, dict, bool]:
    """(the form, the POST data, whether to send it as htmx) with some fields hostile."""
    form = draw(st.sampled_from(forms))
    fields = form.fields
    # Most examples keep every field plausible but one (or none), so that the hostile value
    # gets past the others' validation; the rest make every field a coin toss.
    target = draw(st.sampled_from([*fields, None]))
    every_field = draw(st.booleans())
    data: dict = {}
    for f in fields:
        hostile = f is target or (every_field and draw(st.booleans()))
        if hostile:
            value = draw(hostile_for(f))
        elif f.kind == "submit":
            value = draw(st.sampled_from([*f.options, None]))
        elif f.kind == "file":
            value = SimpleUploadedFile("values.csv", GOOD_CSV, "text/csv")
        else:
            value = plausible(f)
        if value is not None:
            data[f.name] = value
    if not fields or draw(st.integers(0, 9)) == 0:
        names = st.lists(st.sampled_from(EXTRA_NAMES), min_size=1, max_size=3, unique=True)
        for name in draw(names):
            data.setdefault(name, draw(any_hostile()))
    htmx = form.htmx and draw(st.booleans())
    return form, data, htmx

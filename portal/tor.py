"""A partnership's Terms of Reference file: its schema, and the reader that checks it.

Nothing partnership-specific lives in code. A ToR file (YAML, or JSON) holds a
partnership's groups with their meeting rules, seats, Theory of Change activities,
Crest recommendations, performance measures and the ToR's own words, and its
agencies with their Serious Violence Duty status; `manage.py load_tor --file PATH`
loads it. The Communications Working Group's ToR (V2, November 2023) ships as the
default file, DEFAULT_FILE. docs/tor-file.md documents the format field by field.

The reader is strict, because a slip in a file becomes a wrong row that staff then
work around for years:

- Only PyYAML's SafeLoader is used, and only to *compose* the file into nodes, which
  carry line numbers; values are read from the nodes here. Text is taken as written
  (`code: 8.10` is the text "8.10", not the number 8.1; `short_name: No` is "No").
- Anchors and aliases (`&name`, `*name`) are refused: an alias repeats a node
  without copying it, so a few lines can stand for billions of nodes ("billion
  laughs"). A ToR file has no need of them. Files over MAX_BYTES are refused too.
- Unknown keys are refused (a typo must not pass silently), as are missing
  required keys, duplicate keys, values outside their choices or over the
  database column's length, dates outside the portal's window, control
  characters, duplicate names and codes, and references to a group or an agency
  the file does not define.
- Every error is collected, with its file and line, and reported together (up to
  MAX_ERRORS); `TorFileError` carries them. Nothing is written while a file has
  an error: the reader runs before the loader opens its transaction.

JSON is read by the same YAML parser, so its errors carry line numbers too. Any
JSON a program writes (`json.dump`, indented with spaces or not) reads the same as
the YAML it mirrors; PyYAML implements YAML 1.1, so a JSON file indented with tab
characters is refused, with the line.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from typing import Any

import yaml
from django.db import models

from core.bounds import in_window, window_text
from core.text import first_control_character
from meetings.models import Meeting
from members.models import Agency, Group, Membership
from tracker.models import CrestRecommendation, PerformanceMeasure, ToCActivity, TorText

DEFAULT_FILE = Path(__file__).resolve().parent / "tor_files" / "communications-working-group.yaml"
# A ToR runs to a few pages: a megabyte is far more than any needs.
MAX_BYTES = 1_000_000
# Enough to fix a file in one pass without burying the first error.
MAX_ERRORS = 30

# The sections of a group's ToR that are not data: TorText's text fields, in its order.
TEXT_FIELDS = tuple(
    spec.name for spec in TorText._meta.get_fields() if isinstance(spec, models.TextField)
)


@dataclass(frozen=True)
class Seat:
    """A seat on a group's distribution list: a role at an agency, filled later by a person."""

    agency: str
    role_title: str
    position: str = Membership.Position.MEMBER
    attendance_status: str = Membership.AttendanceStatus.REQUIRED


@dataclass(frozen=True)
class AgencyRow:
    """A row of the ToR's "Distribution list and membership" table, in the file's order."""

    name: str
    sector: str
    duty_status: str
    short_name: str = ""


@dataclass(frozen=True)
class GroupFacts:
    """A group's own fields, as `Group` holds them."""

    name: str
    kind: str
    short_name: str = ""
    parent: str | None = None
    purpose: str = ""
    vision: str = ""
    mission: str = ""
    tor_version: str = ""
    tor_published: dt.date | None = None
    review_date: dt.date | None = None
    meeting_frequency: str = Group.Frequency.QUARTERLY
    default_format: str = Meeting.Format.TEAMS
    # The ToR sets no in-person rule unless it says so.
    in_person_every: int = 0


@dataclass(frozen=True)
class MeasureFacts:
    """An element of the Outcomes Based Performance Framework. A ToR sets no target."""

    code: str
    title: str
    outcome: str
    success_measure: str
    data_source: str
    unit: str = ""
    polarity: str = PerformanceMeasure.Polarity.HIGHER_IS_BETTER


@dataclass(frozen=True)
class GroupTor:
    """A group and what its ToR lists under it."""

    facts: GroupFacts
    seats: tuple[Seat, ...] = ()
    toc_activities: tuple[tuple[str, str], ...] = ()  # (code, title)
    crest_recommendations: tuple[tuple[str, str], ...] = ()  # (code, text)
    measures: tuple[MeasureFacts, ...] = ()
    text: dict[str, str] | None = None  # TorText's fields; None: the file gives no text


@dataclass(frozen=True)
class TermsOfReference:
    """A whole ToR file, checked: groups (parents first) and agencies, in the file's order."""

    groups: tuple[GroupTor, ...]
    agencies: tuple[AgencyRow, ...]

    def group(self, name: str) -> GroupTor:
        return next(group for group in self.groups if group.facts.name == name)


class TorFileError(Exception):
    """A ToR file that cannot be loaded; `errors` holds every line-numbered message."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        shown = errors[:MAX_ERRORS]
        if len(errors) > MAX_ERRORS:
            shown.append(f"… and {len(errors) - MAX_ERRORS} more.")
        super().__init__("\n".join(shown))


class _AliasRefused(yaml.MarkedYAMLError):
    pass


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that stops at the first anchor or alias, before anything is repeated."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _AliasRefused(problem_mark=event.start_mark)
        return super().compose_node(parent, index)


def _max_length(model: type[models.Model], name: str) -> int | None:
    """The column's own limit, so the file is held to what the database accepts."""
    return model._meta.get_field(name).max_length


class _Reader:
    """Reads composed nodes into values, collecting line-numbered errors as it goes.

    A path names where a value sits, items counted from 1: `groups[2].seats[1].agency`.
    Each reading method returns None (and records why) when the value is unusable.
    """

    def __init__(self, name: str):
        self.name = name
        self.found: list[tuple[int, str]] = []  # (line, message)

    def error(self, node: yaml.Node, path: str, message: str) -> None:
        line = node.start_mark.line + 1
        self.found.append((line, f"{self.name}, line {line}: {path}: {message}"))

    @property
    def errors(self) -> list[str]:
        """Every error, in the file's order."""
        return [message for _, message in sorted(self.found, key=lambda error: error[0])]

    def mapping(
        self, node: yaml.Node, path: str, *, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> dict[str, yaml.Node] | None:
        """The mapping's values by key, once its keys are checked: none unknown, none
        repeated, none required missing (named on the line the mapping starts)."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, path, f"expected a mapping (key: value lines), found {_kind(node)}")
            return None
        allowed = required + optional
        values: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            where = f"{path}.{key}" if path else str(key)
            if key not in allowed:
                self.error(key_node, where, f"unknown key; expected one of {', '.join(allowed)}")
            elif key in values:
                self.error(key_node, where, "this key is given twice")
            else:
                values[key] = value_node
        missing = [key for key in required if key not in values]
        if missing:
            self.error(node, path or "the file", f"missing required {_keys(missing)}")
        return values

    def sequence(self, node: yaml.Node, path: str) -> list[yaml.Node]:
        if isinstance(node, yaml.SequenceNode):
            return node.value
        self.error(node, path, f"expected a list (lines starting '- '), found {_kind(node)}")
        return []

    def text(self, node: yaml.Node, path: str, *, max_length: int | None = None) -> str | None:
        """A scalar taken as written, trimmed; a block scalar's line breaks are kept."""
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, path, f"expected text, found {_kind(node)}")
            return None
        value = _join_surrogates(node.value).strip()
        if node.tag == "tag:yaml.org,2002:null" and node.style is None:
            self.error(node, path, "is empty: give a value, or leave the key out")
            return None
        character = first_control_character(value)
        if character is not None:
            self.error(node, path, f"holds an invisible control character (U+{ord(character):04X})")
            return None
        if max_length is not None and len(value) > max_length:
            self.error(node, path, f"is {len(value)} characters long; at most {max_length}")
            return None
        return value

    def name_text(self, node: yaml.Node, path: str, *, max_length: int | None) -> str | None:
        """Text that names something, so may not be blank."""
        value = self.text(node, path, max_length=max_length)
        if value == "":
            self.error(node, path, "is blank")
            return None
        return value

    def choice(self, node: yaml.Node, path: str, choices: type[models.TextChoices]) -> str | None:
        value = self.text(node, path)
        if value is not None and value not in choices.values:
            options = ", ".join(choices.values)
            self.error(node, path, f"{_quoted(value)} is not one of {options}")
            return None
        return value

    def whole_number(self, node: yaml.Node, path: str) -> int | None:
        value = self.text(node, path)
        if value is None:
            return None
        if not (value.isascii() and value.isdigit() and int(value) <= 32767):
            self.error(node, path, f"expected a whole number such as 3, found {_quoted(value)}")
            return None
        return int(value)

    def date(self, node: yaml.Node, path: str) -> dt.date | None:
        value = self.text(node, path)
        if value is None:
            return None
        try:
            day = dt.date.fromisoformat(value) if len(value) == 10 else None
        except ValueError:
            day = None
        if day is None:
            self.error(node, path, f"expected a date written 2023-11-01, found {_quoted(value)}")
        elif not in_window(day):
            self.error(node, path, f"{value} is not {window_text()}")
            day = None
        return day


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return _quoted(node.value) if node.value else "nothing"


def _quoted(value: str, limit: int = 60) -> str:
    """A value as an error message shows it: quoted, and cut short if long."""
    return f'"{value if len(value) <= limit else value[: limit - 1] + "…"}"'


def _keys(names: list[str]) -> str:
    return ("key " if len(names) == 1 else "keys ") + ", ".join(names)


def _join_surrogates(value: str) -> str:
    """JSON writes 😀 as the escaped pair \\ud83d\\ude00, which YAML keeps as two halves:
    join them. A lone half stays, for the control-character check to refuse."""
    try:
        return value.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        return value


def read(path: str | Path) -> TermsOfReference:
    """The checked contents of the ToR file at `path`, or TorFileError saying what is wrong."""
    path = Path(path)
    name = str(path)
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_BYTES + 1)
    except OSError as error:
        raise TorFileError([f"{name}: cannot be read ({error.strerror or error})"]) from error
    if len(raw) > MAX_BYTES:
        raise TorFileError([f"{name}: is larger than {MAX_BYTES:,} bytes; a ToR file is smaller"])
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise TorFileError([f"{name}, line {line}: is not UTF-8 text"]) from error
    return parse(source, name=name)


def parse(source: str, *, name: str = "<ToR file>") -> TermsOfReference:
    """The checked contents of a ToR file's text; `name` starts every error message."""
    try:
        root = yaml.compose(source, Loader=_NoAliasLoader)
    except _AliasRefused as error:
        line = error.problem_mark.line + 1
        raise TorFileError(
            [f"{name}, line {line}: anchors and aliases (&name, *name) are not accepted"]
        ) from error
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f", line {mark.line + 1}" if mark else ""
        problem = error.problem or error.context or "cannot be read"
        raise TorFileError([f"{name}{line}: not valid YAML or JSON: {problem}"]) from error
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, such as U+0001
        line = source[: error.position].count("\n") + 1
        problem = f"the character U+{error.character:04X} is not allowed"
        raise TorFileError([f"{name}, line {line}: {problem}"]) from error
    except yaml.YAMLError as error:
        raise TorFileError([f"{name}: not valid YAML or JSON: {error}"]) from error
    if root is None:
        raise TorFileError([f"{name}: is empty; a ToR file lists groups and agencies"])

    reader = _Reader(name)
    terms = _read_file(reader, root)
    if reader.errors:
        raise TorFileError(reader.errors)
    return terms


def _read_file(reader: _Reader, root: yaml.Node) -> TermsOfReference:
    top = reader.mapping(root, "", required=("groups", "agencies"), optional=()) or {}
    # Agencies first, so that a seat can name one listed further down the file.
    agency_names: set[str] = set()
    agencies = _unique(
        reader,
        _items(
            reader,
            top.get("agencies"),
            "agencies",
            lambda r, n, p: _read_agency(r, n, p, agency_names),
        ),
        key=lambda row: row.name,
        what="an agency",
    )
    groups: list[GroupTor] = []
    seen: dict[str, int] = {}  # the groups read so far (the possible parents): their lines
    codes: dict[str, dict[str, int]] = {"toc": {}, "crest": {}, "measures": {}}
    if "groups" in top:
        items = reader.sequence(top["groups"], "groups")
        if isinstance(top["groups"], yaml.SequenceNode) and not items:
            reader.error(top["groups"], "groups", "lists no group")
        for index, node in enumerate(items, start=1):
            group = _read_group(reader, node, f"groups[{index}]", seen, agency_names, codes)
            if group is not None:
                groups.append(group)
    return TermsOfReference(groups=tuple(groups), agencies=tuple(row for row, _, _ in agencies))


# An item as read: (its value, its node, its path).
Item = tuple[Any, yaml.Node, str]


def _items(
    reader: _Reader, node: yaml.Node | None, path: str, read_one: Callable
) -> Iterator[Item]:
    """Each readable item of the list at `node` (none when the key is absent)."""
    if node is None:
        return
    for index, item in enumerate(reader.sequence(node, path), start=1):
        item_path = f"{path}[{index}]"
        value = read_one(reader, item, item_path)
        if value is not None:
            yield value, item, item_path


def _unique(reader: _Reader, items: Iterator[Item], *, key, what: str) -> list[Item]:
    """The items, a later one with the same key refused, naming the first one's line."""
    kept: list[Item] = []
    first_line: dict[Any, int] = {}
    for value, node, path in items:
        name = key(value)
        if name in first_line:
            shown = " / ".join(name) if isinstance(name, tuple) else name
            reader.error(node, path, f'"{shown}" is already {what} (line {first_line[name]})')
            continue
        first_line[name] = node.start_mark.line + 1
        kept.append((value, node, path))
    return kept


def _read_agency(reader: _Reader, node: yaml.Node, path: str, names: set[str]) -> AgencyRow | None:
    keys = reader.mapping(
        node, path, required=("name", "sector", "duty_status"), optional=("short_name",)
    )
    if keys is None:
        return None
    name = _get(keys, "name", reader.name_text, path, max_length=_max_length(Agency, "name"))
    if isinstance(name, str):
        names.add(name)  # a seat naming it is not refused for the agency's other slips
    return _build(
        AgencyRow,
        name=name,
        short_name=_get(
            keys, "short_name", reader.text, path, max_length=_max_length(Agency, "short_name")
        ),
        sector=_get(keys, "sector", reader.choice, path, Agency.Sector),
        duty_status=_get(keys, "duty_status", reader.choice, path, Agency.DutyStatus),
    )


_GROUP_KEYS = (
    "short_name",
    "parent",
    "purpose",
    "vision",
    "mission",
    "tor_version",
    "tor_published",
    "review_date",
    "meeting_frequency",
    "default_format",
    "in_person_every",
    "seats",
    "toc_activities",
    "crest_recommendations",
    "performance_measures",
    "text",
)


def _read_group(
    reader: _Reader,
    node: yaml.Node,
    path: str,
    seen: dict[str, int],
    agency_names: set[str],
    codes: dict[str, dict[str, int]],
) -> GroupTor | None:
    keys = reader.mapping(node, path, required=("name", "kind"), optional=_GROUP_KEYS)
    if keys is None:
        return None
    name = _get(keys, "name", reader.name_text, path, max_length=_max_length(Group, "name"))
    kind = _get(keys, "kind", reader.choice, path, Group.Kind)
    parent = _get(keys, "parent", reader.name_text, path, max_length=None)
    if isinstance(name, str) and name in seen:
        reader.error(
            keys["name"], f"{path}.name", f'"{name}" is already a group (line {seen[name]})'
        )
        name = None
    if isinstance(parent, str) and parent not in seen:
        reader.error(
            keys["parent"],
            f"{path}.parent",
            f'"{parent}" is not a group listed above this one (a parent comes first)',
        )
        parent = None
    if kind == Group.Kind.TASK_AND_FINISH and "parent" not in keys:
        reader.error(node, path, "a Task and Finish group needs a parent")
    if isinstance(name, str):
        seen[name] = node.start_mark.line + 1

    facts = _build(
        GroupFacts,
        name=name,
        kind=kind,
        parent=parent,
        short_name=_get(
            keys, "short_name", reader.text, path, max_length=_max_length(Group, "short_name")
        ),
        purpose=_get(keys, "purpose", reader.text, path),
        vision=_get(keys, "vision", reader.text, path),
        mission=_get(keys, "mission", reader.text, path),
        tor_version=_get(
            keys, "tor_version", reader.text, path, max_length=_max_length(Group, "tor_version")
        ),
        tor_published=_get(keys, "tor_published", reader.date, path),
        review_date=_get(keys, "review_date", reader.date, path),
        meeting_frequency=_get(keys, "meeting_frequency", reader.choice, path, Group.Frequency),
        default_format=_get(keys, "default_format", reader.choice, path, Meeting.Format),
        in_person_every=_get(keys, "in_person_every", reader.whole_number, path),
    )
    seats = _unique(
        reader,
        _items(
            reader,
            keys.get("seats"),
            f"{path}.seats",
            lambda r, n, p: _read_seat(r, n, p, agency_names),
        ),
        key=lambda seat: (seat.agency, seat.role_title),
        what="a seat in this group",
    )
    toc = _coded(
        reader,
        _items(reader, keys.get("toc_activities"), f"{path}.toc_activities", _read_activity),
        codes["toc"],
        what="a ToC activity's code",
    )
    crest = _coded(
        reader,
        _items(
            reader,
            keys.get("crest_recommendations"),
            f"{path}.crest_recommendations",
            _read_recommendation,
        ),
        codes["crest"],
        what="a Crest recommendation's code",
    )
    measures = _coded(
        reader,
        _items(
            reader, keys.get("performance_measures"), f"{path}.performance_measures", _read_measure
        ),
        codes["measures"],
        what="a performance measure's code",
    )
    text = _read_text(reader, keys.get("text"), f"{path}.text")
    if facts is None:
        return None
    return GroupTor(
        facts=facts,
        seats=tuple(seat for seat, _, _ in seats),
        toc_activities=tuple(row for row, _, _ in toc),
        crest_recommendations=tuple(row for row, _, _ in crest),
        measures=tuple(measure for measure, _, _ in measures),
        text=text,
    )


def _read_seat(reader: _Reader, node: yaml.Node, path: str, agency_names: set[str]) -> Seat | None:
    keys = reader.mapping(
        node, path, required=("agency", "role_title"), optional=("position", "attendance")
    )
    if keys is None:
        return None
    agency = _get(keys, "agency", reader.name_text, path, max_length=None)
    if isinstance(agency, str) and agency not in agency_names:
        reader.error(keys["agency"], f"{path}.agency", f'"{agency}" is not an agency in the file')
        agency = None
    return _build(
        Seat,
        agency=agency,
        role_title=_get(
            keys,
            "role_title",
            reader.name_text,
            path,
            max_length=_max_length(Membership, "role_title"),
        ),
        position=_get(keys, "position", reader.choice, path, Membership.Position),
        attendance_status=_get(
            keys, "attendance", reader.choice, path, Membership.AttendanceStatus
        ),
    )


def _read_activity(reader: _Reader, node: yaml.Node, path: str) -> tuple[str, str] | None:
    """A Theory of Change activity: (code, title)."""
    keys = reader.mapping(node, path, required=("code", "title"), optional=())
    if keys is None:
        return None
    code = _get(keys, "code", reader.name_text, path, max_length=_max_length(ToCActivity, "code"))
    title = _get(
        keys, "title", reader.name_text, path, max_length=_max_length(ToCActivity, "title")
    )
    return None if not isinstance(code, str) or not isinstance(title, str) else (code, title)


def _read_recommendation(reader: _Reader, node: yaml.Node, path: str) -> tuple[str, str] | None:
    """A Crest Advisory recommendation: (code, text)."""
    keys = reader.mapping(node, path, required=("code", "text"), optional=())
    if keys is None:
        return None
    code = _get(
        keys, "code", reader.name_text, path, max_length=_max_length(CrestRecommendation, "code")
    )
    text = _get(keys, "text", reader.name_text, path, max_length=None)
    return None if not isinstance(code, str) or not isinstance(text, str) else (code, text)


def _read_measure(reader: _Reader, node: yaml.Node, path: str) -> MeasureFacts | None:
    required = ("code", "title", "outcome", "success_measure", "data_source")
    keys = reader.mapping(node, path, required=required, optional=("unit", "polarity"))
    if keys is None:
        return None
    limit = functools.partial(_max_length, PerformanceMeasure)
    return _build(
        MeasureFacts,
        **{
            name: _get(keys, name, reader.name_text, path, max_length=limit(name))
            for name in required
        },
        unit=_get(keys, "unit", reader.text, path, max_length=limit("unit")),
        polarity=_get(keys, "polarity", reader.choice, path, PerformanceMeasure.Polarity),
    )


def _coded(
    reader: _Reader, items: Iterator[Item], seen: dict[str, int], *, what: str
) -> list[Item]:
    """Coded rows, each code once in the whole file: the database holds each code once."""
    kept: list[Item] = []
    for value, node, path in items:
        code = value[0] if isinstance(value, tuple) else value.code
        if code in seen:
            reader.error(node, f"{path}.code", f'"{code}" is already {what} (line {seen[code]})')
            continue
        seen[code] = node.start_mark.line + 1
        kept.append((value, node, path))
    return kept


def _read_text(reader: _Reader, node: yaml.Node | None, path: str) -> dict[str, str] | None:
    """The ToR's own words (TorText); a section the file leaves out is blank."""
    if node is None:
        return None
    keys = reader.mapping(node, path, required=(), optional=TEXT_FIELDS)
    if keys is None:
        return None
    text = {name: reader.text(value, f"{path}.{name}") for name, value in keys.items()}
    if any(value is None for value in text.values()):
        return None
    return {name: text.get(name, "") for name in TEXT_FIELDS}


# What `_get` returns for a key the file leaves out: the dataclass's default applies.
_ABSENT = object()


def _get(keys: dict[str, yaml.Node], key: str, read_one: Callable, path: str, *args, **kwargs):
    """The value at `key` read with `read_one`: None if unreadable, _ABSENT if not given."""
    if key not in keys:
        return _ABSENT
    return read_one(keys[key], f"{path}.{key}", *args, **kwargs)


def _build(cls: type, **values: Any):
    """A `cls` of the values given, or None if one was unreadable or a required one is absent
    (`_Reader.mapping` has already said so)."""
    if any(value is None for value in values.values()):
        return None
    given = {name: value for name, value in values.items() if value is not _ABSENT}
    required = {spec.name for spec in fields(cls) if spec.default is MISSING}
    if not required <= given.keys():
        return None
    return cls(**given)


@functools.cache
def default() -> TermsOfReference:
    """The shipped default file, the Communications Working Group's ToR, read once."""
    return read(DEFAULT_FILE)


def __getattr__(name: str) -> Any:
    """The default file's rows under the names the demo (portal/demo) reads them by.

    The demo is the Communications Working Group's: the file's first working group,
    its board (the SVRP) and its agencies, in the file's order. Any other name is
    missing as usual, without reading the file.
    """
    if name == "COMMS_WORKING_GROUP":
        return _first_of_kind(Group.Kind.WORKING)
    if name == "SVRP":
        return _first_of_kind(Group.Kind.SVRP)
    if name == "AGENCIES":
        return default().agencies
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _first_of_kind(kind: str) -> GroupFacts:
    return next(group.facts for group in default().groups if group.facts.kind == kind)

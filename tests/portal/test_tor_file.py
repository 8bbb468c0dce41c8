"""`load_tor --file` refuses a ToR file with any slip, saying where, and writes nothing.

Each case edits one line of a small valid file; the messages are asserted whole, line
numbers included, because a message pointing at the wrong line is the bug.
"""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from members.models import Agency, Group, Membership
from portal import tor
from tracker.models import CrestRecommendation, PerformanceMeasure, ToCActivity, TorText

pytestmark = pytest.mark.django_db

SECOND_PARTNERSHIP = Path(__file__).parent / "data" / "northshire-eastport-tor.yaml"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "tor-file.md"

# Line numbers, for the cases below:
#  1 agencies:            7   - name: Eastport Board     13       - agency: Eastport Police
#  2   - name: Eastport…  8     kind: svrp               14         role_title: Inspector
#  3     sector: police   9   - name: Eastport Working…  15     toc_activities:
#  4     duty_status: …  10     kind: working            16       - {code: 8.10, title: …}
#  5                     11     parent: Eastport Board
#  6 groups:             12     seats:
VALID = """\
agencies:
  - name: Eastport Police
    sector: police
    duty_status: specified

groups:
  - name: Eastport Board
    kind: svrp
  - name: Eastport Working Group
    kind: working
    parent: Eastport Board
    seats:
      - agency: Eastport Police
        role_title: Inspector
    toc_activities:
      - {code: 8.10, title: Open a safe space}
"""


def _write(tmp_path: Path, text: str, name: str = "tor.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _edited(old: str, new: str) -> str:
    assert old in VALID
    return VALID.replace(old, new, 1)


def _rows() -> dict:
    """Every row `load_tor` can write, as plain values."""
    models = [Agency, Group, Membership, ToCActivity, CrestRecommendation, PerformanceMeasure]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models} | {
        "TorText": list(TorText.objects.values())
    }


def _refused(path: Path) -> list[str]:
    """The error lines `load_tor --file` gives for `path`, once it has written nothing."""
    before = _rows()
    with pytest.raises(CommandError) as refusal:
        call_command("load_tor", file=str(path), stdout=StringIO())
    assert _rows() == before
    first, *errors = str(refusal.value).splitlines()
    assert first == "The ToR file was not loaded; nothing was written."
    return errors


def test_a_valid_file_loads(tmp_path):
    out = StringIO()

    call_command("load_tor", file=str(_write(tmp_path, VALID)), stdout=out)

    assert out.getvalue().strip() == "Created 2 groups, 1 agency, 1 seat, 1 ToC activity."
    seat = Membership.objects.get()
    assert (seat.group.name, seat.agency.name, seat.role_title) == (
        "Eastport Working Group",
        "Eastport Police",
        "Inspector",
    )
    assert (seat.position, seat.attendance_status, seat.order) == ("member", "required", 1)
    group = seat.group
    assert (group.parent.name, group.in_person_every, group.default_format) == (
        "Eastport Board",
        0,
        "teams",
    )
    # Taken as written: YAML would read 8.10 as the number 8.1.
    assert ToCActivity.objects.get().code == "8.10"
    assert not TorText.objects.exists()


def test_it_refuses_an_unknown_key(tmp_path):
    path = _write(
        tmp_path, _edited("    sector: police\n", "    sector: police\n    colour: blue\n")
    )

    assert _refused(path) == [
        f"{path}, line 4: agencies[1].colour: unknown key; "
        "expected one of name, sector, duty_status, short_name"
    ]


def test_it_refuses_a_value_of_the_wrong_type(tmp_path):
    text = _edited("    kind: working\n", "    kind: working\n    in_person_every: three\n")
    text = text.replace("      - agency: Eastport Police\n        role_title: Inspector\n", "")
    text = text.replace("    seats:\n", "    seats: Inspector\n")
    path = _write(tmp_path, text)

    assert _refused(path) == [
        f"{path}, line 11: groups[2].in_person_every: expected a whole number such as 3, "
        'found "three"',
        f"{path}, line 13: groups[2].seats: expected a list (lines starting '- '), "
        'found "Inspector"',
    ]


def test_it_refuses_a_value_outside_its_choices(tmp_path):
    path = _write(tmp_path, _edited("    kind: working\n", "    kind: workinggroup\n"))

    assert _refused(path) == [
        f'{path}, line 10: groups[2].kind: "workinggroup" is not one of svrp, working, task_finish'
    ]


def test_it_names_a_missing_required_key_on_the_line_its_mapping_starts(tmp_path):
    path = _write(tmp_path, _edited("    duty_status: specified\n", ""))

    assert _refused(path) == [f"{path}, line 2: agencies[1]: missing required key duty_status"]


def test_it_refuses_a_reference_to_a_group_or_agency_the_file_does_not_define(tmp_path):
    text = _edited("    parent: Eastport Board\n", "    parent: Eastport Bored\n")
    text = text.replace("      - agency: Eastport Police", "      - agency: Westport Police")
    path = _write(tmp_path, text)

    assert _refused(path) == [
        f'{path}, line 11: groups[2].parent: "Eastport Bored" is not a group listed above '
        "this one (a parent comes first)",
        f'{path}, line 13: groups[2].seats[1].agency: "Westport Police" is not an agency in '
        "the file",
    ]


def test_a_task_and_finish_group_needs_a_parent(tmp_path):
    path = _write(tmp_path, _edited("    kind: svrp\n", "    kind: task_finish\n"))

    assert _refused(path) == [f"{path}, line 7: groups[1]: a Task and Finish group needs a parent"]


def test_it_refuses_a_duplicate_name_naming_the_first(tmp_path):
    text = VALID.replace(
        "\ngroups:\n",
        "  - name: Eastport Police\n    sector: police\n    duty_status: relevant\n\ngroups:\n",
    )
    text += "  - name: Eastport Board\n    kind: working\n"
    path = _write(tmp_path, text)

    assert _refused(path) == [
        f'{path}, line 5: agencies[2]: "Eastport Police" is already an agency (line 2)',
        f'{path}, line 20: groups[3].name: "Eastport Board" is already a group (line 10)',
    ]


def test_it_refuses_a_key_given_twice(tmp_path):
    path = _write(tmp_path, _edited("    kind: svrp\n", "    kind: svrp\n    kind: working\n"))

    assert _refused(path) == [f"{path}, line 9: groups[1].kind: this key is given twice"]


def test_it_refuses_text_longer_than_the_database_holds(tmp_path):
    path = _write(
        tmp_path,
        _edited("    sector: police\n", f"    short_name: {'x' * 41}\n    sector: police\n"),
    )

    assert _refused(path) == [
        f"{path}, line 3: agencies[1].short_name: is 41 characters long; at most 40"
    ]


def test_it_refuses_a_date_outside_the_portals_window(tmp_path):
    path = _write(
        tmp_path,
        _edited("    kind: working\n", "    kind: working\n    review_date: 0024-03-31\n"),
    )

    assert _refused(path) == [
        f"{path}, line 11: groups[2].review_date: 0024-03-31 is not between 1 January 2000 "
        "and 31 December 2100"
    ]


def test_it_refuses_control_characters_written_or_escaped(tmp_path):
    raw = _write(tmp_path, _edited("Inspector", "Insp\x01ector"), name="raw.yaml")
    escaped = _write(tmp_path, _edited("Inspector", '"Insp\\x01ector"'), name="escaped.yaml")

    assert _refused(raw) == [f"{raw}, line 14: the character U+0001 is not allowed"]
    assert _refused(escaped) == [
        f"{escaped}, line 14: groups[2].seats[1].role_title: holds an invisible control "
        "character (U+0001)"
    ]


def test_it_shows_every_error_at_once_in_the_files_order(tmp_path):
    text = _edited("    kind: working\n", "    kind: workinggroup\n")
    text = text.replace("    sector: police\n", "    sector: polis\n")
    path = _write(tmp_path, text)

    errors = _refused(path)

    assert [re.search(r", line (\d+):", error)[1] for error in errors] == ["3", "10"]


def test_it_shows_the_first_thirty_errors_and_counts_the_rest(tmp_path):
    agencies = "".join(f"  - {{name: Agency {n}, sector: police}}\n" for n in range(1, 36))
    path = _write(tmp_path, f"groups: []\nagencies:\n{agencies}")

    errors = _refused(path)

    assert len(errors) == 31
    assert errors[0] == f"{path}, line 1: groups: lists no group"
    assert errors[1] == f"{path}, line 3: agencies[1]: missing required key duty_status"
    assert errors[-1] == "… and 6 more."


def test_it_gives_yamls_own_line_for_a_syntax_error(tmp_path):
    path = _write(tmp_path, _edited("    kind: svrp\n", "    kind: svrp: board\n"))

    assert _refused(path) == [
        f"{path}, line 8: not valid YAML or JSON: mapping values are not allowed here"
    ]


def test_it_refuses_anchors_and_aliases(tmp_path):
    """An alias repeats a node without copying it: a few lines can stand for billions
    of nodes. The reader stops at the first anchor, before anything is repeated."""
    text = _edited("  - name: Eastport Police\n", "  - name: &police Eastport Police\n")
    path = _write(tmp_path, text.replace("agency: Eastport Police", "agency: *police"))

    assert _refused(path) == [
        f"{path}, line 2: anchors and aliases (&name, *name) are not accepted"
    ]


def test_a_billion_laughs_is_refused_at_once(tmp_path):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    path = _write(tmp_path, "\n".join(lines) + "\n")

    assert _refused(path) == [
        f"{path}, line 1: anchors and aliases (&name, *name) are not accepted"
    ]


def test_it_says_when_the_file_is_missing(tmp_path):
    path = tmp_path / "missing.yaml"

    assert _refused(path) == [f"{path}: cannot be read (No such file or directory)"]


def test_it_refuses_a_file_over_a_megabyte(tmp_path):
    path = _write(tmp_path, VALID + "#" * tor.MAX_BYTES + "\n")

    assert _refused(path) == [f"{path}: is larger than 1,000,000 bytes; a ToR file is smaller"]


def test_it_refuses_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "tor.yaml"
    path.write_bytes(VALID.replace("Inspector", "Inspecteur principal \xe9").encode("latin-1"))

    assert _refused(path) == [f"{path}, line 14: is not UTF-8 text"]


def test_it_refuses_an_empty_file(tmp_path):
    path = _write(tmp_path, "# nothing yet\n")

    assert _refused(path) == [f"{path}: is empty; a ToR file lists groups and agencies"]


def test_a_json_file_loads_the_same_as_the_yaml_it_mirrors(tmp_path):
    """JSON is read by the same parser (so its errors have lines too); dates are strings."""
    data = yaml.safe_load(SECOND_PARTNERSHIP.read_text(encoding="utf-8"))
    json_path = tmp_path / "northshire-eastport-tor.json"
    json_path.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")

    assert tor.read(json_path) == tor.read(SECOND_PARTNERSHIP)
    with transaction.atomic():
        call_command("load_tor", file=str(json_path), stdout=StringIO())
        from_json = _rows()
        transaction.set_rollback(True)
    call_command("load_tor", file=str(SECOND_PARTNERSHIP), stdout=StringIO())
    assert Group.objects.count() == 3
    assert _without_keys(_rows()) == _without_keys(from_json)


def test_a_json_file_has_line_numbered_errors_too(tmp_path):
    path = _write(
        tmp_path,
        '{\n  "agencies": [],\n  "groups": [\n    {"name": "Board", "kind": "bored"}\n  ]\n}\n',
        name="tor.json",
    )

    assert _refused(path) == [
        f'{path}, line 4: groups[1].kind: "bored" is not one of svrp, working, task_finish'
    ]


def test_a_failure_leaves_loaded_rows_as_they_were(tmp_path):
    call_command("load_tor", file=str(_write(tmp_path, VALID)), stdout=StringIO())
    # A new agency and seat that are fine, and one slip further down: none of it is written.
    text = VALID.replace(
        "\ngroups:\n",
        "  - name: Eastport Fire\n    sector: fire\n    duty_status: specified\n\ngroups:\n",
    )
    text += "      - {code: 8.11, title: Run a second safe space, owner: Fire}\n"

    errors = _refused(_write(tmp_path, text, name="second.yaml"))

    assert len(errors) == 1
    assert "toc_activities[2].owner: unknown key" in errors[0]
    assert not Agency.objects.filter(name="Eastport Fire").exists()


def test_the_example_in_the_documentation_loads():
    example = re.search(r"```yaml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)[1]

    terms = tor.parse(example, name="docs/tor-file.md")

    assert [group.facts.kind for group in terms.groups] == ["svrp", "working"]


def test_the_default_file_is_the_communications_working_groups():
    terms = tor.read(tor.DEFAULT_FILE)

    assert [group.facts.name for group in terms.groups] == [
        "Strategic Violence Reduction Partnership",
        "Communications Working Group",
    ]
    assert len(terms.agencies) == 11


def _without_keys(rows: dict) -> dict:
    """The rows without their keys and timestamps, which a second load gives anew."""
    volatile = {"id", "group_id", "agency_id", "parent_id", "created_at", "updated_at"}
    return {
        table: [{k: v for k, v in row.items() if k not in volatile} for row in values]
        for table, values in rows.items()
    }

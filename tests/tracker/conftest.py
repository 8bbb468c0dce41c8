import pytest

from tests.tracker.fixtures import NOW, QUARTER, TODAY, build_quarter_data
from tracker.report import report_build


@pytest.fixture
def quarter_data(working_group):
    return build_quarter_data(working_group)


@pytest.fixture
def report(quarter_data):
    """The 2024-25 Q1 update of the fixture data, generated on 15 July 2024."""
    return report_build(group=quarter_data.group, quarter=QUARTER, today=TODAY, now=NOW)

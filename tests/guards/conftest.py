from tests.guards.hostile import SWEEP_RECORD


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """What the hostile input sweep covered and found, when it ran."""
    record = config.stash.get(SWEEP_RECORD, None)
    if record is not None:
        terminalreporter.section("hostile input sweep")
        for line in record.lines():
            terminalreporter.write_line(line)

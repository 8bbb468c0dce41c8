"""The security log's line format, loaded by LOGGING before the apps are."""

import datetime as dt
import json
import logging


class JsonFormatter(logging.Formatter):
    """One JSON object a line, with the time in UTC."""

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "security", None) or {"event": record.getMessage()}
        stamp = dt.datetime.fromtimestamp(record.created, tz=dt.UTC)
        return json.dumps(
            {"time": stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z"), **fields}
        )

"""Deterministic demo data on top of the ToR, for trying the portal and for benchmarks.

`manage.py seed_demo` calls `demo_seed`. Everything random comes from one
`random.Random` per group, seeded with the group's name, so the same scale on
the same day always gives the same rows, whatever was seeded before. Dates
derive from fixed anchors (the financial quarters from 2023-24 Q1 to 2027-28 Q1);
only the split between past and future depends on today.

A group that already has meetings was built by an earlier run and is skipped
whole, so re-running adds nothing and a larger scale adds only the new groups.

- `seed`: `demo_seed`, which builds the groups one by one, each in a transaction;
- `groups`: which groups a scale builds, and their seats;
- `accounts`: the people in the seats and their sign-in accounts;
- `meetings`: each group's meetings, registers and key updates;
- `actions`: the actions raised at those meetings, with their progress notes;
- `tracker`: the Comms Working Group's measure values and ToC and Crest progress;
- `dates`: the quarters, meeting days and London times everything else uses;
- `content`: the names, titles and texts the demo writes.
"""

from portal.demo.accounts import ADMIN_EMAIL, PASSWORD, SITE_URL, STAFF_EMAIL
from portal.demo.seed import demo_seed

__all__ = ["ADMIN_EMAIL", "PASSWORD", "SITE_URL", "STAFF_EMAIL", "demo_seed"]

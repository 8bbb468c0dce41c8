"""The production settings plus one page that exists only for `make bench`: the floor.

The floor is what Django itself costs to serve a signed-in person an almost empty page
through every middleware the portal runs, so each page's time reads as a multiple of it.
"""

from vrp_portal.settings import *  # noqa: F403

ROOT_URLCONF = "vrp_portal.urls_bench"

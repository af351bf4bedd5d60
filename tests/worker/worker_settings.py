"""Settings for a Celery worker a test starts as a process of its own (tests/worker): the test
suite's settings, with uploads kept where the test keeps them. DATABASE_URL names the test's
database and REDIS_URL the test's broker (see conftest.worker_process)."""

import os

from taskforce.settings_test import *  # noqa: F403

MEDIA_ROOT = os.environ["TASKFORCE_TEST_MEDIA_ROOT"]

"""`eban demo` starts quietly (issue 11: about 730 task lines buried the SMS codes): in development
the worker reports its tasks' warnings and errors only, and says so in one line at start."""

from __future__ import annotations

import logging
from io import StringIO

import pytest

from eban.demo.management.commands.worker import TASK_LOGGERS, Command


@pytest.fixture(autouse=True)
def restore_levels():
    levels = {name: logging.getLogger(name).level for name in TASK_LOGGERS}
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_in_development_the_worker_shows_only_the_tasks_warnings_and_errors(settings):
    settings.DEBUG = True
    Command(stdout=StringIO()).configure_logging(1)
    assert {logging.getLogger(name).level for name in TASK_LOGGERS} == {logging.WARNING}


def test_every_task_is_logged_when_asked_for_or_in_production(settings):
    settings.DEBUG = True
    Command(stdout=StringIO()).configure_logging(2)
    assert {logging.getLogger(name).level for name in TASK_LOGGERS} == {logging.INFO}
    settings.DEBUG = False
    Command(stdout=StringIO()).configure_logging(1)
    assert {logging.getLogger(name).level for name in TASK_LOGGERS} == {logging.INFO}


@pytest.mark.django_db
def test_the_worker_starts_with_one_summary_line(settings):
    settings.DEBUG = True
    out = StringIO()
    command = Command(stdout=out)
    command.configure_logging(1)
    command.say_started()
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    assert "background worker started" in lines[0] and "-v 2" in lines[0]

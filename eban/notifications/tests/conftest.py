import pytest
from django.core import mail

from eban.notifications import sms

from . import fakes


@pytest.fixture(autouse=True)
def _empty_outboxes():
    sms.outbox.clear()
    mail.outbox = []
    fakes.reset()
    yield
    sms.outbox.clear()
    fakes.reset()


@pytest.fixture
def person(django_user_model):
    return django_user_model.objects.create_user("citizen-1")


@pytest.fixture
def other_person(django_user_model):
    return django_user_model.objects.create_user("citizen-2")

"""`{% load notifications_tags %}{% unread_messages user as unread %}`: the number of unread
messages in the user's inbox (0 for anyone signed out)."""

from django import template

from ..models import Message

register = template.Library()


@register.simple_tag
def unread_messages(user) -> int:
    return Message.objects.inbox(user).unread().count()

"""`{% load masking %}`: `{{ value|mask_id_number }}`, `mask_phone`, `mask_name`, `mask_passport`.

The functions are in eban/core/masking.py; the output is plain text (autoescaped as usual).
"""

from django import template

from eban.core import masking

register = template.Library()

register.filter("mask_id_number", masking.mask_id_number)
register.filter("mask_phone", masking.mask_phone)
register.filter("mask_name", masking.mask_name)
register.filter("mask_passport", masking.mask_passport)

"""The structured parts of a guide, edited as lists in the back office."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .enums import MaterialForm, MaterialSource


class ConditionBlock(blocks.TextBlock):
    class Meta:
        label = _("Condition")
        icon = "list-ol"


class MaterialBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"), max_length=200)
    form = blocks.ChoiceBlock(label=_("Form"), choices=MaterialForm.choices, default=MaterialForm.ORIGINAL)
    copies = blocks.IntegerBlock(label=_("Copies"), min_value=0, max_value=99, default=1)
    required = blocks.BooleanBlock(label=_("Required"), required=False, default=True)
    source = blocks.ChoiceBlock(
        label=_("Source"), choices=MaterialSource.choices, default=MaterialSource.APPLICANT
    )
    note = blocks.CharBlock(label=_("Note"), required=False, max_length=500)

    class Meta:
        label = _("Material")
        icon = "doc-full"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Step"), max_length=100)
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        label = _("Process step")
        icon = "arrow-right"


class FaqBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=300)
    answer = blocks.TextBlock(label=_("Answer"))

    class Meta:
        label = _("Question and answer")
        icon = "help"


class LegalBasisBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Law or regulation"), max_length=200)
    article = blocks.TextBlock(label=_("Article"), required=False)

    class Meta:
        label = _("Legal basis")
        icon = "doc-full-inverse"

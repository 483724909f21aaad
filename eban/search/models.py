"""The search index (documents and their terms) and the editable synonym list.

The index is generic: a document is any row of any kind of content (`doc_type` "matter" for
now; website pages and policies later), identified by (doc_type, doc_id).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .analysis import normalize


class SearchDocument(models.Model):
    """One indexed document: its title (for suggestions) and a static boost."""

    doc_type = models.CharField(_("document type"), max_length=32)
    doc_id = models.BigIntegerField(_("document id"))
    title = models.CharField(_("title"), max_length=300)
    boost = models.FloatField(_("boost"), default=0.0)
    indexed_at = models.DateTimeField(_("indexed at"), auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [models.UniqueConstraint(fields=["doc_type", "doc_id"], name="search_document_unique")]
        indexes = [models.Index(fields=["doc_type", "-boost"], name="search_doc_boost")]

    def __str__(self) -> str:
        return f"{self.doc_type}:{self.doc_id} {self.title}"


class IndexEntry(models.Model):
    """A posting of the inverted index: this term occurs in this document with this weight."""

    term = models.CharField(_("term"), max_length=64)
    doc_type = models.CharField(_("document type"), max_length=32)
    doc_id = models.BigIntegerField(_("document id"))
    weight = models.FloatField(_("weight"))

    class Meta:
        verbose_name = _("index entry")
        verbose_name_plural = _("index entries")
        indexes = [
            # Covering index: the lookups and the grouped scoring read only this index.
            models.Index(fields=["term", "doc_type", "doc_id", "weight"], name="search_entry_term"),
            models.Index(fields=["doc_id", "doc_type"], name="search_entry_doc_id"),
        ]

    def __str__(self) -> str:
        return f"{self.term} → {self.doc_type}:{self.doc_id} ({self.weight})"


class TermStat(models.Model):
    """How many postings a term has (its document frequency), kept up to date by the indexer.

    Read by every search to weigh terms (idf) without counting postings.
    """

    doc_type = models.CharField(_("document type"), max_length=32)
    term = models.CharField(_("term"), max_length=64)
    df = models.IntegerField(_("document frequency"), default=0)

    class Meta:
        verbose_name = _("term statistic")
        verbose_name_plural = _("term statistics")
        constraints = [models.UniqueConstraint(fields=["doc_type", "term"], name="search_termstat_unique")]
        indexes = [models.Index(fields=["term", "doc_type", "df"], name="search_termstat_term")]

    def __str__(self) -> str:
        return f"{self.doc_type}:{self.term} ({self.df})"


_SPLIT_RE = re.compile(r"[,，、;；/|\s]+")


def split_terms(value: str) -> list[str]:
    """The distinct normalised words of a synonym group, in the order given."""
    seen: list[str] = []
    for raw in _SPLIT_RE.split(value or ""):
        word = normalize(raw)
        if word and word not in seen:
            seen.append(word)
    return seen


class Synonym(models.Model):
    """A group of words that mean the same to people searching: 户口, 户籍."""

    terms = models.CharField(
        _("words"),
        max_length=500,
        help_text=_("Words that mean the same, separated by commas or spaces, e.g. 户口, 户籍, 户口本."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")

    def __str__(self) -> str:
        return ", ".join(self.term_list)

    @property
    def term_list(self) -> list[str]:
        return split_terms(self.terms)

    def clean(self) -> None:
        super().clean()
        words = self.term_list
        if len(words) < 2:
            raise ValidationError({"terms": _("Give at least two different words.")})
        too_long = [w for w in words if len(w) > 20]
        if too_long:
            raise ValidationError(
                {
                    "terms": _("Each word can have at most 20 characters: %(words)s")
                    % {"words": ", ".join(too_long)}
                }
            )
        self.terms = ", ".join(words)

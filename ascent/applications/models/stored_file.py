from django.db import models
from django.utils.translation import gettext_lazy as _

from .application import Application


class StoredFile(models.Model):
    """An uploaded file, owned by one application and one of its file fields.

    An answer refers to it as ``{"file": <id>, ...}``; the server issued that id for that
    application, and only the server knows ``storage_name`` (where the bytes are). Copies
    for a new application ("start from my last application") are new rows and new bytes,
    so nothing done to a draft ever touches an earlier application's files."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="stored_files"
    )
    field_key = models.SlugField(_("field"), max_length=64)
    storage_name = models.CharField(max_length=255, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("type"), max_length=100)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        indexes = [models.Index(fields=["application", "field_key"])]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.field_key})"

    def as_answer(self) -> dict:
        return {"file": self.pk, "name": self.original_name, "size": self.size,
                "content_type": self.content_type}  # fmt: skip

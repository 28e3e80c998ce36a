"""Files an applicant attaches to an answer: checked by content, stored privately.

A file's type is read from its first bytes, never from its name or the browser's word:
PDF (``%PDF-``), PNG and JPEG are accepted. Files live under MEDIA_ROOT, which no web
server publishes; the portal serves one only to its owner (and staff) after a check.
The answer keeps {name, path, size, content_type}.
"""

from __future__ import annotations

import secrets

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from .errors import ApplicationError
from .links import too_large

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


def sniff(head: bytes) -> tuple[str, str] | None:
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def store_upload(application, key: str, upload) -> dict:
    """Check and store one uploaded file for the answer ``key``; the answer's value."""
    if upload.size > MAX_BYTES:
        message = too_large(upload.size, MAX_BYTES)
        raise ApplicationError(f"{key}: {message}", problems=[(key, message)])
    upload.seek(0)
    kind = sniff(upload.read(16))
    upload.seek(0)
    if kind is None:
        message = _("only PDF, PNG or JPEG files are accepted")
        raise ApplicationError(f"{key}: {message}", problems=[(key, message)])
    content_type, extension = kind
    path = default_storage.save(
        f"applications/{application.pk}/{secrets.token_hex(16)}.{extension}", upload
    )
    name = (upload.name or f"file.{extension}").replace("/", "_")[-200:]
    return {"name": name, "path": path, "size": upload.size, "content_type": content_type}


def remove_stored(value) -> None:
    if isinstance(value, dict) and value.get("path"):
        default_storage.delete(value["path"])


def private_file_response(path: str, content_type: str, name: str):
    """A stored file as a download, after the caller checked who may read it."""
    from django.http import FileResponse

    response = FileResponse(default_storage.open(path, "rb"), content_type=content_type,
                            as_attachment=True, filename=name)  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return response

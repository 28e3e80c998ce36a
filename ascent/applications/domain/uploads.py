"""Files an applicant attaches to an answer: checked by content, stored privately.

A file's type is read from its first bytes, never from its name or the browser's word:
PDF (``%PDF-``), PNG and JPEG are accepted. Files live under MEDIA_ROOT, which no web
server publishes; the portal serves one only to its owner (and the panel) after a check.

Each file is a StoredFile row owned by one application and one field; the answer keeps
``{"file": <its id>, "name", "size", "content_type"}``. A client (the form, the API) can
only name a file by an id the server issued for that application and that field: any
other value is refused naming the field, and no client ever names a storage path.
"""

from __future__ import annotations

import hashlib
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from ascent.applications.models import StoredFile

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
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = (upload.name or f"file.{extension}").replace("/", "_").replace("\\", "_")[-200:]
    return _store(application, key, upload, name, upload.size, content_type, extension,
                  digest.hexdigest()).as_answer()  # fmt: skip


def _store(application, key, content, name, size, content_type, extension, sha256) -> StoredFile:
    storage_name = default_storage.save(
        f"applications/{application.pk}/{secrets.token_hex(16)}.{extension}", content
    )
    return StoredFile.objects.create(
        application=application, field_key=key, storage_name=storage_name, original_name=name,
        size=size, content_type=content_type, sha256=sha256,
    )  # fmt: skip


def copy_stored(stored: StoredFile, application) -> StoredFile:
    """A copy of ``stored`` (bytes and record) owned by ``application``: what "start from
    my last application" reuses, so that the new draft never shares the old one's file."""
    extension = stored.storage_name.rsplit(".", 1)[-1]
    with default_storage.open(stored.storage_name, "rb") as source:
        content = ContentFile(source.read())
    return _store(application, stored.field_key, content, stored.original_name, stored.size,
                  stored.content_type, extension, stored.sha256)  # fmt: skip


def resolve_file_answers(application, form, answers: dict) -> list[tuple[str, str]]:
    """Replace each file answer by the server's record of it, when it names a file stored
    for this application and this field; the problems of those that do not."""
    problems = []
    for spec in form:
        value = answers.get(spec.key)
        if spec.kind != "file" or not isinstance(value, dict) or type(value.get("file")) is not int:
            continue  # absent, or the engine's validation names the wrong shape
        found = StoredFile.objects.filter(pk=value["file"], application=application,
                                          field_key=spec.key).first()  # fmt: skip
        if found is None:
            problems.append(
                (spec.key, _("must be a file uploaded to this answer of this application"))
            )
        else:
            answers[spec.key] = found.as_answer()
    return problems


def prune_files(application) -> int:
    """Delete the application's stored files that no answer refers to any more (a file
    replaced or removed in a draft, an upload whose save was refused)."""
    kept = {v["file"] for v in (application.answers or {}).values()
            if isinstance(v, dict) and isinstance(v.get("file"), int)}  # fmt: skip
    unused = list(StoredFile.objects.filter(application=application).exclude(pk__in=kept))
    return delete_stored_files(unused)


def delete_stored_files(files) -> int:
    """Delete records and bytes; the bytes once the deletion of the rows is committed."""
    files = list(files)
    names = [f.storage_name for f in files]
    StoredFile.objects.filter(pk__in=[f.pk for f in files]).delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    return len(files)


def private_file_response(storage_name: str, content_type: str, name: str):
    """A stored file as a download, after the caller checked who may read it."""
    from django.http import FileResponse

    response = FileResponse(default_storage.open(storage_name, "rb"), content_type=content_type,
                            as_attachment=True, filename=name)  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return response


def stored_file_response(application, key: str, *, name: str | None = None):
    """The file answering ``key`` of ``application`` (after the caller's permission
    check), under its own name or ``name``; None when there is none."""
    value = (application.answers or {}).get(key)
    if not isinstance(value, dict) or not isinstance(value.get("file"), int):
        return None
    found = StoredFile.objects.filter(pk=value["file"], application=application,
                                      field_key=key).first()  # fmt: skip
    if found is None or not default_storage.exists(found.storage_name):
        return None
    return private_file_response(found.storage_name, found.content_type,
                                 name or found.original_name)  # fmt: skip

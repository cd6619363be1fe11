"""Multipart uploads are refused at the request's limit while they stream, not after they are read.

Django checks DATA_UPLOAD_MAX_MEMORY_SIZE for form fields only; file parts go to memory or a temporary
file whatever their total, so a 200 MB request was read whole before any view could refuse it.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _


class UploadTooLarge(RequestDataTooBig):
    """Answered 413 by core.api.errors.bad_request: JSON under /api/, a page elsewhere."""


def upload_too_large() -> UploadTooLarge:
    limit = settings.UPLOAD_MAX_REQUEST_BYTES // (1024 * 1024)
    return UploadTooLarge(
        _("The files of one request may total at most %(limit)d MB; send them in several parts.")
        % {"limit": limit}
    )


class RequestLimitUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: refuses by Content-Length, then counts every chunk of every file."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.received = 0
        if content_length > settings.UPLOAD_MAX_REQUEST_BYTES:
            raise upload_too_large()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_REQUEST_BYTES:
            raise upload_too_large()
        return raw_data

    def file_complete(self, file_size):
        return None

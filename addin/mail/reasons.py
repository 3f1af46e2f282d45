"""What went wrong, said for the clerk (the ``{detail}`` of the M messages): never the
library's own text, which stays in the record's note."""
from __future__ import annotations

import smtplib
import socket
import ssl
import zipfile

_REASONS: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], str], ...] = (
    (socket.gaierror, "không tìm thấy tên máy chủ"),
    ((socket.timeout, TimeoutError), "máy chủ không trả lời"),
    (ConnectionRefusedError, "máy chủ từ chối kết nối, có thể sai cổng"),
    ((ssl.SSLError, ssl.CertificateError), "không thiết lập được kết nối mã hóa (sai kiểu "
                                           "bảo mật hoặc chứng chỉ)"),
    (smtplib.SMTPRecipientsRefused, "máy chủ từ chối địa chỉ người nhận"),
    (smtplib.SMTPSenderRefused, "máy chủ từ chối địa chỉ người gửi"),
    (smtplib.SMTPDataError, "máy chủ từ chối nội dung thư (có thể quá lớn)"),
    ((smtplib.SMTPServerDisconnected, ConnectionError), "mất kết nối với máy chủ"),
    (zipfile.BadZipFile, "tệp nén hỏng"),
    (NotImplementedError, "kiểu nén không được hỗ trợ"),
    (MemoryError, "không đủ bộ nhớ"),
    (OSError, "lỗi mạng hoặc lỗi ghi tệp"),
)


def reason(exc: BaseException) -> str:
    """A short Vietnamese reason for ``exc``."""
    if isinstance(exc, RuntimeError) and "encrypted" in str(exc):
        return "tệp nén có đặt mật khẩu"
    for kinds, text in _REASONS:
        if isinstance(exc, kinds):
            return text
    return "lỗi bất thường"

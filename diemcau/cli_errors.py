"""Every error of the command line as one line in Vietnamese, ``Lỗi: `` and a capital.

Click writes its own errors in English over several lines (the usage, a hint, ``Error: …``);
the commands raise ``click.ClickException`` with Vietnamese messages that start in either
case. :func:`error_line` gives them all one shape; the group in ``diemcau.cli`` prints it.
"""

from __future__ import annotations

import click
from click import exceptions

PREFIX = "Lỗi: "


def _hint(error: exceptions.BadParameter) -> str:
    if error.param_hint is not None:
        hint = error.param_hint
        return hint if isinstance(hint, str) else " / ".join(hint)
    if error.param is not None:
        return error.param.get_error_hint(error.ctx)
    return ""


def _vietnamese(error: click.ClickException) -> str:
    if isinstance(error, exceptions.NoSuchCommand):
        return f"không có lệnh {error.command_name!r}; xem diemcau --help"
    if isinstance(error, exceptions.NoSuchOption):
        return f"không có tuỳ chọn {error.option_name}; xem --help của lệnh"
    if isinstance(error, exceptions.MissingParameter):
        return f"thiếu {_hint(error) or 'tham số'}; xem --help của lệnh"
    if isinstance(error, exceptions.BadParameter):
        hint = _hint(error)
        param_type = error.param.type if error.param is not None else None
        if isinstance(param_type, click.Choice):
            choices = ", ".join(str(c) for c in param_type.choices)
            return f"giá trị không hợp lệ cho {hint}: chọn một trong {choices}"
        if isinstance(param_type, click.Path):
            return f"đường dẫn không dùng được cho {hint}"
        return f"giá trị không hợp lệ cho {hint}" if hint else "giá trị không hợp lệ"
    if isinstance(error, exceptions.BadOptionUsage):
        return f"dùng sai tuỳ chọn {error.option_name}; xem --help của lệnh"
    if isinstance(error, exceptions.UsageError):
        return "cách gọi lệnh không đúng; xem --help của lệnh"
    return error.format_message()


def error_line(error: click.ClickException) -> str:
    """``Lỗi: <message>`` on one line, the message starting with a capital."""
    message = " ".join(_vietnamese(error).split()) or "không rõ lý do"
    return PREFIX + message[0].upper() + message[1:]

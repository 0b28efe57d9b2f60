"""The JSON API's OpenAPI 3.1 description, served at ``/api/openapi.json`` to signed-in
people and tokens like every other route. Written by hand beside ``web.api``; a test checks
that every ``/api`` route is described and schemathesis checks the answers against it."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from storage.models import AnswerStatus, MeetingStatus, Readiness, Role
from storage.services.tasks import Category

MAX_ID = 2**31 - 1


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": sorted(properties),
        "properties": properties,
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
TEXT = {"type": "string"}
COUNT = {"type": "integer", "minimum": 0}
RATE = _nullable({"type": "number", "minimum": 0, "maximum": 1})
MOMENT = {"type": "string", "format": "date-time"}
COUNTS = _object({c.value: COUNT for c in Category})

SCHEMAS: dict[str, Any] = {
    "Error": _object(
        {"error": {"type": "integer"}, "message": {**TEXT, "description": "Tiếng Việt"}}
    ),
    "Counts": {**COUNTS, "description": "Số nhiệm vụ theo bốn nhóm của báo cáo Chính phủ"},
    "Me": _object(
        {
            "name": TEXT,
            "unit_id": _nullable(ID),
            "committees": {
                "type": "array",
                "items": _object(
                    {
                        "committee_id": ID,
                        "roles": {"type": "array", "items": {"enum": [r.value for r in Role]}},
                    }
                ),
            },
        }
    ),
    "Meeting": _object(
        {
            "meeting_id": ID,
            "committee_id": ID,
            "title": TEXT,
            "starts_at": MOMENT,
            "status": {"enum": [s.value for s in MeetingStatus]},
        }
    ),
    "Meetings": _object(
        {
            "upcoming": {"type": "array", "items": _ref("Meeting")},
            "past": {"type": "array", "items": _ref("Meeting")},
        }
    ),
    "AttendanceSheet": _object(
        {
            "meeting_id": ID,
            "title": TEXT,
            "starts_at": MOMENT,
            "totals": {"type": "object", "additionalProperties": COUNT},
            "points": {
                "type": "array",
                "items": _object(
                    {
                        "point_id": ID,
                        "name": TEXT,
                        "main": {"type": "boolean"},
                        "readiness": {"enum": [r.value for r in Readiness]},
                        "readiness_note": _nullable(TEXT),
                        "people": {
                            "type": "array",
                            "items": _object(
                                {
                                    "name": TEXT,
                                    "title": TEXT,
                                    "status": {"enum": [s.value for s in AnswerStatus]},
                                    "reason": _nullable(TEXT),
                                    "delegate": _nullable(TEXT),
                                    "present": _nullable({"type": "boolean"}),
                                    "never_received": {"type": "boolean"},
                                }
                            ),
                        },
                    }
                ),
            },
        }
    ),
    "AttendanceReport": _object(
        {
            "committee_id": ID,
            "committee_name": TEXT,
            "sessions": {
                "type": "array",
                "items": _object({"meeting_id": ID, "title": TEXT, "starts_at": MOMENT}),
            },
            "points": {
                "type": "array",
                "items": _object(
                    {
                        "point_id": ID,
                        "name": TEXT,
                        "sessions": {
                            "type": "array",
                            "description": "One per session, in order; null: not a point of it",
                            "items": _nullable(
                                _object(
                                    {
                                        "invited": COUNT,
                                        "confirmed": COUNT,
                                        "present": COUNT,
                                        "called": COUNT,
                                        "rate": RATE,
                                    }
                                )
                            ),
                        },
                    }
                ),
            },
        }
    ),
    "TaskReport": _object(
        {
            "totals": _ref("Counts"),
            "cancelled": COUNT,
            "units": {
                "type": "array",
                "items": _object(
                    {
                        "unit_id": _nullable(ID),
                        "name": TEXT,
                        "counts": _ref("Counts"),
                        "total": COUNT,
                    }
                ),
            },
        }
    ),
    "UnitReport": _object(
        {
            "unit_id": ID,
            "name": TEXT,
            "totals": _ref("Counts"),
            "undated": _ref("Counts"),
            "months": {
                "type": "array",
                "items": _object(
                    {
                        "month": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
                        "counts": _ref("Counts"),
                        "total": COUNT,
                        "on_time_rate": RATE,
                    }
                ),
            },
        }
    ),
}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref("Error")}},
    }


ERRORS = {
    "401": _error("Chưa đăng nhập, phiên đã hết hạn, hoặc mã truy cập không hợp lệ"),
    "403": _error("Không có quyền"),
    "404": _error("Không tìm thấy (hoặc không có quyền xem: hai trường hợp như nhau)"),
    "422": _error("Tham số không hợp lệ"),
}


def _get(
    summary: str,
    schema: str,
    *,
    parameters: list[dict[str, Any]] | None = None,
    errors: tuple[str, ...] = ("401",),
) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": parameters or [],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {"application/json": {"schema": _ref(schema)}},
                },
                **{code: ERRORS[code] for code in errors},
            },
        }
    }


def _path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": ID}


COMMITTEE = {
    "name": "committee",
    "in": "query",
    "required": False,
    "description": "Ban Chỉ đạo; mặc định là ban đầu tiên người xem được",
    "schema": ID,
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Điểm Cầu API",
        "version": "1",
        "description": (
            "Số liệu của văn phòng điện tử Điểm Cầu: phiên họp, điểm danh, báo cáo nhiệm vụ. "
            "Cần phiên đăng nhập (cookie) hoặc mã truy cập của tích hợp "
            "(`Authorization: Bearer …`, tạo bằng `diemcau token create`; chỉ đọc)."
        ),
    },
    "servers": [{"url": "/"}],
    "security": [{"session": []}, {"token": []}],
    "paths": {
        "/api/me": _get("Người (hoặc tích hợp) đang truy cập và vai trò", "Me"),
        "/api/meetings": _get("Các phiên họp sắp tới và đã diễn ra", "Meetings"),
        "/api/meetings/{meeting_id}/attendance": _get(
            "Bảng điểm danh theo điểm cầu của một phiên họp",
            "AttendanceSheet",
            parameters=[_path_id("meeting_id")],
            errors=("401", "403", "404"),
        ),
        "/api/reports/attendance": _get(
            "Tỷ lệ có mặt theo điểm cầu qua các phiên họp",
            "AttendanceReport",
            parameters=[COMMITTEE],
            errors=("401", "403", "404", "422"),
        ),
        "/api/reports/tasks": _get(
            "Nhiệm vụ theo đơn vị chủ trì và bốn nhóm báo cáo", "TaskReport"
        ),
        "/api/reports/units/{unit_id}": _get(
            "Kết quả thực hiện nhiệm vụ của một đơn vị theo tháng đến hạn",
            "UnitReport",
            parameters=[_path_id("unit_id")],
            errors=("401", "404"),
        ),
    },
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {
            "session": {"type": "apiKey", "in": "cookie", "name": "diemcau_session"},
            "token": {"type": "http", "scheme": "bearer"},
        },
    },
}


async def document(request: web.Request) -> web.Response:
    """GET /api/openapi.json: this description."""
    return web.json_response(DOCUMENT)

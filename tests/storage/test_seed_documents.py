"""The committee's document settings in the seed file: the signer and the secretary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Person
from storage.seed import SeedError, load_seed

LAICHAU = Path(__file__).parents[2] / "examples" / "laichau.yaml"


def laichau() -> dict[str, Any]:
    data = yaml.safe_load(LAICHAU.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


async def test_laichau_signer_and_secretary(db: AsyncSession) -> None:
    committee = (await load_seed(db, laichau())).committee
    assert committee.issuing_body == "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU"
    assert committee.signer_authority == "TL. CHỦ TỊCH"
    assert committee.signer_title == "CHÁNH VĂN PHÒNG"
    assert committee.signer_name is None and committee.parent_body is None
    assert committee.secretary_id is not None
    secretary = await db.get(Person, committee.secretary_id)
    assert secretary is not None and "thư ký phiên họp" in secretary.title


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"signer_authority": "Chủ tịch"}, "signer_authority must begin with"),
        ({"secretary": "nobody"}, "unknown secretary 'nobody'"),
    ],
)
async def test_bad_document_settings_are_refused(
    db: AsyncSession, change: dict[str, str], words: str
) -> None:
    data = laichau()
    data["committee"].update(change)
    with pytest.raises(SeedError, match=words):
        await load_seed(db, data)

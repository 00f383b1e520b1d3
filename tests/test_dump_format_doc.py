"""The dump is documented: every table and column the dump holds is named in docs/dump-format.md."""

import re
from pathlib import Path

from citynet.store import models as m

DOC = Path(__file__).resolve().parents[1] / "docs" / "dump-format.md"


def test_every_table_and_column_is_documented_in_dump_order():
    sections = re.split(r"^### ", DOC.read_text(encoding="utf-8"), flags=re.M)[1:]
    documented = {}
    for section in sections:
        name = re.match(r"`(\w+)`", section).group(1)
        documented[name] = re.findall(r"^- `(\w+)`", section, flags=re.M)
    assert list(documented) == [model.__tablename__ for model in m.ALL_TABLES]
    for model in m.ALL_TABLES:
        assert documented[model.__tablename__] == [c.name for c in model.__table__.columns]

"""Concurrent edits on both engines: two connections saving the same record at once — exactly one
wins, the other is refused with a message naming who saved and when, nothing is lost, and the
history holds exactly the winning saves as an unbroken chain of old → new values."""

from __future__ import annotations

import random
import re
import threading

import pytest

from citynet.errors import ConflictError
from citynet.services import records
from citynet.services.history import history

BAKU = {"slug": "baku", "name_ja": "バクー", "name_en": "Baku", "country": "AZ",
        "timezone": "Asia/Baku"}
WHEN = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d (UTC|JST)")


@pytest.fixture
def second(engine, open_db):
    """Another engine on the same database: its own connections, as another user's program."""
    return open_db(engine.url.render_as_string(hide_password=False))


def _race(calls):
    """Run the calls at the same moment, each in its own thread; results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # noqa: BLE001  (collected and checked by the test)
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def _chain_is_unbroken(engine, record_id, field):
    """Oldest first: each update's old value is the previous save's new value."""
    changes = list(reversed(history(engine, kind="city", record_id=record_id)))
    value = None
    for change in changes:
        pairs = {c.field: (c.old, c.new) for c in change.changes}
        if field in pairs:
            assert pairs[field][0] == value, f"lost update before change {change.id}"
            value = pairs[field][1]
    return changes, value


def test_two_connections_same_revision_one_wins_other_told_who_and_when(engine, second):
    city = records.create_record(engine, "city", BAKU, user="sato", origin="form")
    results = _race([
        lambda: records.update_record(engine, "city", city.id, 1, {"name_en": "Baku (sato)"},
                                      user="sato", origin="form"),
        lambda: records.update_record(second, "city", city.id, 1, {"name_en": "Baku (tanaka)"},
                                      user="tanaka", origin="form"),
    ])
    winners = [r for r in results if isinstance(r, records.RecordInfo)]
    losers = [r for r in results if isinstance(r, ConflictError)]
    assert len(winners) == 1 and len(losers) == 1, results
    winner = "sato" if isinstance(results[0], records.RecordInfo) else "tanaka"
    loser = "tanaka" if winner == "sato" else "sato"
    message = str(losers[0])
    assert message.startswith(f"{winner} saved this record at ")
    assert WHEN.search(message) and "revision 2" in message and "you started from 1" in message
    values = records.get_values(engine, "city", city.id)
    assert (values["name_en"], values["revision"], values["updated_by"]) == (
        f"Baku ({winner})", 2, winner)
    # Nothing lost: the refused user reloads and saves on top; both saves are in the history.
    records.update_record(second if loser == "tanaka" else engine, "city", city.id, 2,
                          {"name_en": f"Baku ({loser})"}, user=loser, origin="form")
    changes, last = _chain_is_unbroken(engine, city.id, "name_en")
    assert [c.user for c in changes] == ["sato", winner, loser] and last == f"Baku ({loser})"


def test_delete_against_a_save_and_the_refusal_names_the_deleter(engine, second):
    city = records.create_record(engine, "city", BAKU, user="sato", origin="form")
    records.delete_record(second, "city", city.id, 1, user="suzuki", origin="form")
    with pytest.raises(ConflictError) as refused:
        records.update_record(engine, "city", city.id, 1, {"name_en": "late"}, user="sato", origin="form")
    assert str(refused.value).startswith("suzuki deleted this record at ")
    assert WHEN.search(str(refused.value))
    assert [c.action for c in history(engine, kind="city", record_id=city.id)] == ["delete", "create"]


@pytest.mark.parametrize("seed", [7, 2024])
def test_randomised_concurrent_interleavings_lose_nothing(engine, second, seed):
    """Rounds of 1–4 editors (on two engines) saving at once from the revision each last saw:
    per round at most one save from the current revision wins, every refusal names a user and a
    time, and the stored value and revision match the history's unbroken chain."""
    users = ["sato", "tanaka", "suzuki", "ito"]
    engines = {"sato": engine, "tanaka": second, "suzuki": engine, "ito": second}
    city = records.create_record(engine, "city", BAKU, user="sato", origin="form")
    rng = random.Random(seed)
    seen = {user: 1 for user in users}
    wins = 0
    for round_ in range(12):
        editors = rng.sample(users, rng.randint(1, 4))
        current = records.get_values(engine, "city", city.id)["revision"]
        calls = [
            (lambda u=u: records.update_record(engines[u], "city", city.id, seen[u],
                                               {"name_en": f"{u} {round_}"}, user=u, origin="form"))
            for u in editors]
        results = _race(calls)
        won = [u for u, r in zip(editors, results) if isinstance(r, records.RecordInfo)]
        fresh = [u for u in editors if seen[u] == current]
        assert len(won) == (1 if fresh else 0), (round_, editors, results)
        assert set(won) <= set(fresh)
        for user, result in zip(editors, results):
            if isinstance(result, ConflictError):
                assert re.match(rf"({'|'.join(users)}) saved this record at ", str(result)), result
                assert WHEN.search(str(result))
            else:
                assert isinstance(result, records.RecordInfo), result
        wins += len(won)
        stored = records.get_values(engine, "city", city.id)["revision"]
        for user in editors:  # the refused reload; sometimes a winner forgets to
            if user not in won or rng.random() < 0.5:
                seen[user] = stored
    values = records.get_values(engine, "city", city.id)
    changes, last = _chain_is_unbroken(engine, city.id, "name_en")
    assert values["revision"] == 1 + wins == len(changes)
    assert values["name_en"] == last
    assert values["updated_by"] == changes[-1].user

"""Synergy answers kept per synergy fingerprint (`maillage.api.answers`): served again while the network is
the same for the synergies, dropped when it is not, compressed for callers who take gzip."""

from __future__ import annotations

import gzip

from maillage.api.answers import AnswerCache
from maillage.graph.index import synergy_fingerprint

DEMO = "ressourcerie-lur-berri"
SYNERGIES = f"/api/actors/{DEMO}/synergies"
PLAIN = {"Accept-Encoding": "identity"}


def test_least_recently_used_answers_go_first_beyond_the_budget() -> None:
    cache = AnswerCache(budget=10)
    cache.put("a", b"1234")
    cache.put("b", b"5678")
    assert cache.get("a") == b"1234"  # now b is the least recently used
    cache.put("c", b"90ab")  # 12 bytes > 10: b goes
    assert (cache.get("b"), cache.get("a"), cache.get("c"), cache.size) == (None, b"1234", b"90ab", 8)
    cache.put("huge", b"x" * 11)  # larger than the whole budget: not kept, nothing evicted
    assert (len(cache), cache.get("huge")) == (2, None)


def test_the_same_question_is_answered_once_then_served_again(site) -> None:
    client, _tokens, _store = site
    answers = client.app.state.maillage.answers
    first = client.get(SYNERGIES, headers=PLAIN)
    assert (answers.misses, answers.hits, len(answers)) == (1, 0, 1)
    again = client.get(SYNERGIES, headers=PLAIN)
    assert (answers.misses, answers.hits) == (1, 1)
    assert again.content == first.content and again.headers["content-type"] == "application/json"
    # Chantier Bois & Adour ranks first (tests/test_cli.py works it out): the kept answer is the answer
    assert again.json()["data"][0]["target"] == "chantier-bois-adour"
    # another question — other paging, other language, other filter — is another answer
    client.get(SYNERGIES, params={"limit": 5}, headers=PLAIN)
    client.get(SYNERGIES, params={"lang": "en"}, headers=PLAIN)
    client.get(SYNERGIES, params={"kind": "transfrontalier"}, headers=PLAIN)
    assert (answers.misses, answers.hits, len(answers)) == (4, 1, 4)


def test_a_caller_taking_gzip_gets_the_kept_bytes(site) -> None:
    client, _tokens, _store = site
    plain = client.get(SYNERGIES, headers=PLAIN)
    with client.stream("GET", SYNERGIES, headers={"Accept-Encoding": "gzip"}) as zipped:
        sent = b"".join(zipped.iter_raw())  # the bytes as sent (the client would decode them)
    assert zipped.headers["content-encoding"] == "gzip" and zipped.headers["vary"] == "Accept-Encoding"
    assert gzip.decompress(sent) == plain.content and len(sent) < len(plain.content) / 4
    assert "content-encoding" not in plain.headers


def test_errors_are_not_kept(site) -> None:
    client, _tokens, _store = site
    answers = client.app.state.maillage.answers
    for _ in range(2):
        refused = client.get(SYNERGIES, params={"field": "pas-un-domaine"})
        assert refused.status_code == 422
    assert client.get("/api/actors/personne/synergies").status_code == 404
    assert len(answers) == 0


def test_a_description_edit_keeps_the_answers_a_new_need_drops_them(site) -> None:
    client, tokens, _store = site
    state = client.app.state.maillage
    _record, animator = tokens.create("animator")
    headers = {"Authorization": f"Bearer {animator}", "If-Match": "*"}
    before = client.get(SYNERGIES, headers=PLAIN).json()
    fingerprint = synergy_fingerprint(state.index())

    edited = client.patch(f"/api/actors/{DEMO}", json={"description": "Autre description"}, headers=headers)
    assert edited.status_code == 200, edited.text
    assert synergy_fingerprint(state.index()) == fingerprint
    assert client.get(SYNERGIES, headers=PLAIN).json() == before
    assert (state.answers.misses, state.answers.hits) == (1, 1)

    # only jardins-solidaires-seignanx offers « maraichage » (offres.csv): a new synergy, a new answer
    need = client.post(f"/api/actors/{DEMO}/needs", json={"resource": "maraichage"}, headers=headers)
    assert need.status_code == 201, need.text
    assert synergy_fingerprint(state.index()) != fingerprint
    after = client.get(SYNERGIES, params={"kind": "complementarite", "limit": 200}, headers=PLAIN).json()
    assert "jardins-solidaires-seignanx" in {item["target"] for item in after["data"]}
    assert state.answers.misses == 2

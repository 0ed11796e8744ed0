"""Talk offers are found by topic with accents and typos forgiven, the best first."""

from __future__ import annotations

from core.offer_ranking import OfferText, rank_offers

OFFERS = [
    OfferText(1, "Kubernetes en producción", "Lo que aprendimos operando clústeres"),
    OfferText(2, "Python asíncrono", "asyncio y SQLAlchemy"),
    OfferText(3, "Observabilidad", "Métricas y trazas para Kubernetes"),
    OfferText(4, "Rust para pythonistas", ""),
]


def ids(query: str) -> list[int]:
    return [offer_id for offer_id, _score in rank_offers(query, OFFERS, 10)]


def test_a_misspelt_topic_finds_the_offer() -> None:
    assert ids("kubernets")[0] == 1


def test_accents_are_ignored_both_ways() -> None:
    assert ids("produccion") == [1]
    assert ids("PYTHON ASINCRONO")[0] == 2


def test_a_match_in_the_topic_ranks_above_one_in_the_description() -> None:
    assert ids("kubernetes") == [1, 3]


def test_a_typed_prefix_finds_the_word() -> None:
    assert ids("obser") == [3]


def test_unrelated_topics_find_nothing() -> None:
    assert ids("java") == []
    assert ids("") == []


def test_the_limit_keeps_the_best() -> None:
    assert [offer_id for offer_id, _ in rank_offers("kubernetes", OFFERS, 1)] == [1]

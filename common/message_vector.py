"""A message's embedding, made once in the Rasa process and read again by the action server.

The risk detector embeds a message to compare it with danger exemplars; the retriever needs the
same E5 query embedding of the same text. Embedding is the costliest step of a message, so the
detector puts its vector in the parse data (`add_to_output`) and the answer action uses it when
the retriever's model is the same one. Packed as float32 in base64: the action server reads the
very vector it would have made.
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np

KEY = "message_vector"


def pack(model: str, vector: np.ndarray) -> dict[str, str]:
    data = np.ascontiguousarray(vector, dtype="<f4").tobytes()
    return {"model": model, "float32": base64.b64encode(data).decode("ascii")}


def unpack(parse_data: dict[str, Any] | None, model: str) -> np.ndarray | None:
    """The vector of the parse data's message if it was made by `model`; None otherwise."""
    packed = (parse_data or {}).get(KEY)
    if not isinstance(packed, dict) or packed.get("model") != model:
        return None
    try:
        return np.frombuffer(base64.b64decode(str(packed.get("float32")), validate=True), dtype="<f4").copy()
    except ValueError:
        return None

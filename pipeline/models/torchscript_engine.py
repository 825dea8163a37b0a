"""The transformer's network traced to TorchScript, for scoring that starts fast.

Importing `transformers`' BERT costs `stance score` more than a second before the first
sentence (it pulls in torch._dynamo, torch.distributed and scipy). A traced graph needs torch
alone, and the tokenizer needs only the `tokenizers` library, so `TracedTransformer` scores
without importing `transformers` at all. The graph is traced in fp32; bf16 autocast applies
to it at run time as to the eager network.

Traced graphs are caches, never model outputs (as the ONNX graphs): they live under the stance
cache (`$STANCE_CACHE`, else ~/.cache/stance) in a folder named by a hash of the model folder's
files, so a retrained model gets a fresh trace and a model folder (a DVC output) is never
written to. The first call with a new model loads it through `transformers` and traces it.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

from pipeline.models.base import ModelLoadError
from pipeline.models.encoder import batched_probabilities, encoder_cache
from pipeline.models.persistence import read_manifest, read_settings
from pipeline.models.runtime import InferenceOptions

log = logging.getLogger(__name__)
GRAPH_FILE = "network.pt"
TOKENIZER_FILE = Path("encoder") / "tokenizer.json"
INPUTS = ("input_ids", "attention_mask")  # the traced graph's positional inputs


class _TaskTuple(nn.Module):
    """The network's per-task logits as a tuple, in `tasks` order (traced outputs are
    positional)."""

    def __init__(self, network: nn.Module, tasks: Sequence[str]):
        super().__init__()
        self.network = network
        self.tasks = list(tasks)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor):
        logits = self.network(input_ids=input_ids, attention_mask=attention_mask)
        return tuple(logits[task] for task in self.tasks)


def trace_network(network: nn.Module, tasks: Sequence[str],
                  example: dict[str, torch.Tensor]) -> torch.jit.ScriptModule:
    """`network` (eval mode, fp32) traced on `example`; batch size and sentence length stay
    dynamic (tests check the graph against the network on other shapes)."""
    with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
        # The tracer warns about shape arithmetic that it records as dynamic anyway, and
        # about TorchScript's maintenance status; neither says anything to a user.
        warnings.simplefilter("ignore")
        return torch.jit.trace(_TaskTuple(network.eval(), tasks),
                               tuple(example[name] for name in INPUTS), check_trace=False)


def folder_hash(folder: Path) -> str:
    """A short digest of every file of a model folder (names and bytes)."""
    digest = hashlib.blake2b(digest_size=10)
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        with path.open("rb") as handle:
            digest.update(hashlib.file_digest(handle, "blake2b").digest())
    return digest.hexdigest()


def trace_cache_path(folder: Path, cache: Path | None = None) -> Path:
    """Where the TorchScript graph of the model in `folder` is cached (it may not exist yet)."""
    return (cache or encoder_cache()) / "torchscript" / folder_hash(folder) / GRAPH_FILE


def cached_trace(folder: Path, target: Path | None = None) -> Path:
    """The TorchScript graph of the transformer in `folder` at `target` (by default
    `trace_cache_path(folder)`), traced there on first use."""
    target = target or trace_cache_path(folder)
    if target.is_file():
        log.debug("TorchScript graph from the cache %s", target)
        return target
    log.info("tracing the network to TorchScript (once per model) into %s", target.parent)
    from pipeline.models.transformer import TransformerModel

    model = TransformerModel.load(folder)
    example = model.encode_batch(["An example sentence.", "Another, longer example one."])
    graph = trace_network(model.network.cpu(), model.tasks, example)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed: an interrupted trace leaves no partial graph.
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".tmp", delete=False) as part:
        scratch = Path(part.name)
    try:
        graph.save(str(scratch))
        scratch.replace(target)
    finally:
        scratch.unlink(missing_ok=True)
    return target


class BertTokenizer:
    """A saved fast tokenizer (`tokenizer.json`) through the `tokenizers` library, padding and
    truncating as `transformers`' tokenizer does with padding=True, truncation=True."""

    def __init__(self, path: Path, max_length: int):
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(path))
        padding = self.tokenizer.padding
        self.pad_id = padding["pad_id"] if padding else self.tokenizer.token_to_id("[PAD]") or 0
        self.tokenizer.no_padding()  # `pad` pads each batch to its own longest row
        self.tokenizer.enable_truncation(max_length)

    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids of each text, special tokens included, truncated, unpadded."""
        return [encoding.ids for encoding in self.tokenizer.encode_batch(list(texts))]

    def pad(self, rows: Sequence[Sequence[int]]) -> dict[str, torch.Tensor]:
        """`rows` of ids as the network's inputs, right-padded to the longest row."""
        width = max(len(row) for row in rows)
        input_ids = np.full((len(rows), width), self.pad_id, dtype=np.int64)
        attention_mask = np.zeros((len(rows), width), dtype=np.int64)
        for i, row in enumerate(rows):
            input_ids[i, :len(row)] = row
            attention_mask[i, :len(row)] = 1
        return {"input_ids": torch.from_numpy(input_ids),
                "attention_mask": torch.from_numpy(attention_mask)}

    def __call__(self, texts: Sequence[str]) -> dict[str, torch.Tensor]:
        return self.pad(self.ids(texts))


class TracedTransformer:
    """A saved transformer model as a traced graph: the scoring face of `TransformerModel`
    (`tasks`, `classes`, `predict_proba_all`), on CPU, without `transformers`."""

    family = "transformer"

    def __init__(self, graph: torch.jit.ScriptModule, tokenizer: BertTokenizer,
                 classes: dict[str, list[str]]):
        self.graph = graph
        self.tokenizer = tokenizer
        self.tasks = tuple(classes)
        self._classes = {task: np.array(labels) for task, labels in classes.items()}
        self._bf16_graph: torch.jit.ScriptModule | None = None

    @classmethod
    def load(cls, folder: Path, graph: Path | None = None) -> TracedTransformer:
        """The model in `folder` with its graph at `graph` (default: the cache), traced
        there first when missing."""
        from pipeline.config import TransformerConfig

        folder = Path(folder)
        if read_manifest(folder)["family"] != cls.family:
            raise ModelLoadError(f"{folder}: runtime torchscript runs transformer models only")
        manifest, config, _ = read_settings(folder, TransformerConfig)
        if not (folder / TOKENIZER_FILE).is_file():
            raise ModelLoadError(f"{folder}: transformer files missing (no {TOKENIZER_FILE})")
        try:
            path = cached_trace(folder, graph)
            with warnings.catch_warnings():
                # torch.jit's notice that it is deprecated in favour of torch.export: the
                # pinned torch keeps it, and the notice says nothing to a user.
                warnings.simplefilter("ignore", DeprecationWarning)
                module = torch.jit.load(str(path), map_location="cpu")
        except RuntimeError as error:
            raise ModelLoadError(f"{folder}: cannot trace or load its TorchScript graph "
                                 f"({error})") from None
        return cls(module.eval(), BertTokenizer(folder / TOKENIZER_FILE, config.max_length),
                   manifest["tasks"])

    def classes(self, task: str) -> np.ndarray:
        return self._classes[task]

    @torch.inference_mode()
    def predict_proba_all(self, texts: Sequence[str],
                          options: InferenceOptions | None = None) -> dict[str, np.ndarray]:
        options = options or InferenceOptions()
        graph = self.bf16_graph() if options.precision == "bf16" else self.graph

        def network(input_ids, attention_mask):
            # Without the profiling executor's shape specialisation: every batch has another
            # sentence length, and re-specialising cost ~10% of bf16 throughput here.
            with torch.jit.optimized_execution(False):
                logits = graph(input_ids, attention_mask)
            return dict(zip(self.tasks, logits, strict=True))

        ids = self.tokenizer.ids(texts)  # once: for the sort by length, then for the batches
        return batched_probabilities(
            network, lambda index: self.tokenizer.pad([ids[i] for i in index]),
            [len(row) for row in ids], {task: len(self._classes[task]) for task in self.tasks},
            options, cpu=True)

    def bf16_graph(self) -> torch.jit.ScriptModule:
        """A copy of the graph whose linear layers hold bf16 weights. Under autocast a linear
        layer casts its fp32 weights to bf16 on every call; casting them once gives the same
        numbers (tested) ~10% faster. Layer norms and embeddings stay fp32, as autocast wants."""
        if self._bf16_graph is None:
            graph = copy.deepcopy(self.graph)
            for module in graph.modules():
                if module.original_name == "Linear":
                    for parameter in module.parameters(recurse=False):
                        parameter.data = parameter.data.to(torch.bfloat16)
            self._bf16_graph = graph
        return self._bf16_graph

    def predict_all(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        return {task: self._classes[task][proba.argmax(axis=1)]
                for task, proba in self.predict_proba_all(texts).items()}

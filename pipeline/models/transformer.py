"""Joint fine-tuning: one shared transformer encoder, mean-pooled, one linear head per task.

Scoring runs the encoder once per batch for both tasks. Saved as safetensors (encoder and
heads), with the tokenizer and label maps beside them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file
from torch import nn
from transformers import AutoModel, AutoTokenizer

from pipeline.config import TransformerConfig
from pipeline.models.base import ModelLoadError, MultiTaskPredictor
from pipeline.models.encoder import batched_probabilities, resolve_device
from pipeline.models.persistence import read_settings, write_manifest
from pipeline.models.runtime import InferenceOptions

HEADS_FILE = "heads.safetensors"


class MultiTaskNetwork(nn.Module):
    """Encoder -> attention-masked mean pooling -> dropout -> one linear head per task."""

    def __init__(self, encoder: nn.Module, task_sizes: dict[str, int], dropout: float):
        super().__init__()
        self.encoder = encoder
        hidden = encoder.config.hidden_size
        self.dropout = nn.Dropout(dropout)
        self.heads = nn.ModuleDict({task: nn.Linear(hidden, size)
                                    for task, size in task_sizes.items()})

    def embed(self, input_ids, attention_mask, **extra) -> torch.Tensor:
        """Attention-masked mean of the encoder's last hidden states."""
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                              **extra).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        return (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)

    def classify(self, pooled: torch.Tensor) -> dict[str, torch.Tensor]:
        pooled = self.dropout(pooled)
        return {task: head(pooled) for task, head in self.heads.items()}

    def forward(self, input_ids, attention_mask, **extra) -> dict[str, torch.Tensor]:
        return self.classify(self.embed(input_ids, attention_mask, **extra))


class TransformerModel(MultiTaskPredictor):
    family = "transformer"

    def __init__(self, config: TransformerConfig, seed: int = 0,
                 network: MultiTaskNetwork | None = None, tokenizer=None,
                 encoder_name: str = ""):
        self.config = config
        self.encoder_name = encoder_name
        self.seed = seed
        self.network = network
        self.tokenizer = tokenizer
        self.device = resolve_device(config.device)

    @classmethod
    def from_pretrained(cls, config: TransformerConfig, source: str | Path, seed: int = 0,
                        encoder_name: str = "") -> TransformerModel:
        """A fresh model on the pretrained encoder in folder `source` (see
        `encoder.resolve_model_path`; tests pass a tiny random BERT)."""
        encoder = AutoModel.from_pretrained(source)
        tokenizer = AutoTokenizer.from_pretrained(source)
        model = cls(config, seed, tokenizer=tokenizer, encoder_name=encoder_name or str(source))
        torch.manual_seed(seed)  # head initialisation
        model.network = MultiTaskNetwork(
            encoder, {task: len(model.classes(task)) for task in model.tasks}, config.dropout)
        return model

    def to(self, device) -> TransformerModel:
        """Place the network (and the batches `encode_batch` makes) on `device`."""
        self.device = torch.device(device)
        self.network.to(self.device)
        return self

    def encode_batch(self, texts: Sequence[str]) -> dict[str, torch.Tensor]:
        batch = self.tokenizer(list(texts), padding=True, truncation=True,
                               max_length=self.config.max_length, return_tensors="pt")
        return {key: value.to(self.device) for key, value in batch.items()
                if key in ("input_ids", "attention_mask", "token_type_ids")}

    @torch.inference_mode()
    def predict_proba_all(self, texts: Sequence[str],
                          options: InferenceOptions | None = None) -> dict[str, np.ndarray]:
        """Per task an (n, n_classes) array of probabilities; `options` (batch size,
        precision, runtime) default to fp32 eager torch, as training and evaluation use."""
        options = options or InferenceOptions()
        texts = list(texts)
        return batched_probabilities(
            self.inference_network(options.runtime),
            lambda index: self.encode_batch([texts[i] for i in index]), self.token_counts(texts),
            {task: len(self.classes(task)) for task in self.tasks}, options,
            cpu=self.device.type == "cpu")

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """Tokens per text as the network sees it (special tokens in, truncated)."""
        encoded = self.tokenizer(list(texts), truncation=True, max_length=self.config.max_length)
        return [len(ids) for ids in encoded["input_ids"]]

    def inference_network(self, engine: str) -> Callable[..., dict[str, torch.Tensor]]:
        """The network for `engine` (see `runtime.InferenceOptions`), built once per model."""
        if engine == "torch":
            return self.network.to(self.device).eval()
        engines = self.__dict__.setdefault("_engines", {})
        if engine not in engines:
            if self.device.type != "cpu":
                raise ValueError(f"inference engine {engine} runs on CPU only "
                                 f"(the model is on {self.device})")
            engines[engine] = self._build_engine(engine)
        return engines[engine]

    def _build_engine(self, engine: str):
        network = self.network.cpu().eval()
        if engine == "torchscript":
            from pipeline.models.torchscript_engine import trace_network

            graph = trace_network(network, self.tasks, self.encode_batch(
                ["An example sentence.", "Another, longer example one."]))
            return lambda **batch: dict(zip(self.tasks, graph(
                batch["input_ids"], batch["attention_mask"]), strict=True))
        if engine == "torch_int8":
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # torch.ao's deprecation notice for torchao
                return torch.ao.quantization.quantize_dynamic(
                    network, {nn.Linear}, dtype=torch.qint8)
        from pipeline.models.onnx_engine import OnnxNetwork, cached_graphs

        example = self.encode_batch(["An example sentence.", "Another, longer example one."])
        folder = cached_graphs(network, example)
        return OnnxNetwork(folder, quantized=engine == "onnx_int8",
                           threads=torch.get_num_threads())

    def save(self, folder: Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.network.encoder.save_pretrained(folder / "encoder", safe_serialization=True)
        self.tokenizer.save_pretrained(folder / "encoder")
        heads = {f"{task}.{name}": tensor.detach().cpu().contiguous()
                 for task, head in self.network.heads.items()
                 for name, tensor in head.state_dict().items()}
        save_file(heads, folder / HEADS_FILE)
        write_manifest(folder, self, config=self.config, seed=self.seed,
                       encoder=self.encoder_name)

    @classmethod
    def load(cls, folder: Path) -> TransformerModel:
        folder = Path(folder)
        manifest, config, seed = read_settings(folder, TransformerConfig)
        try:
            _require(folder / "encoder" / "model.safetensors")
            encoder = AutoModel.from_pretrained(folder / "encoder", use_safetensors=True)
            tokenizer = AutoTokenizer.from_pretrained(folder / "encoder")
            heads = load_file(folder / HEADS_FILE)
        except (OSError, ValueError, RuntimeError, SafetensorError) as error:
            raise ModelLoadError(f"{folder}: transformer files missing or corrupt ({error})") \
                from None
        model = cls(config, seed, tokenizer=tokenizer,
                    encoder_name=manifest.get("encoder", ""))
        model.network = MultiTaskNetwork(
            encoder, {task: len(classes) for task, classes in manifest["tasks"].items()},
            config.dropout)
        try:
            for task, head in model.network.heads.items():
                head.load_state_dict({name: heads[f"{task}.{name}"] for name in ("weight", "bias")})
        except (KeyError, RuntimeError) as error:
            raise ModelLoadError(f"{folder / HEADS_FILE}: heads do not match the manifest "
                                 f"({error})") from None
        model.network.eval()
        return model


def _require(path: Path) -> None:
    if not path.is_file():
        raise OSError(f"missing {path}")

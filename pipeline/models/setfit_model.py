"""SetFit strategy: contrastive fine-tuning of the MiniLM body, then a logistic-regression head,
one (body, head) pair per task. This module holds the trained model (inference and
persistence); `setfit_training` trains it.

Persisted without pickle: each body as a sentence-transformers folder (safetensors), each
head through skops with the baseline's trusted-types check.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from pipeline.config import TransformerConfig
from pipeline.models.base import ModelLoadError, MultiTaskPredictor, align_columns
from pipeline.models.encoder import length_sorted_batches, resolve_device
from pipeline.models.persistence import read_settings, write_manifest
from pipeline.models.runtime import InferenceOptions
from pipeline.models.skops_io import load_skops, save_skops


class SetFitMultiTask(MultiTaskPredictor):
    family = "setfit"

    def __init__(self, config: TransformerConfig, seed: int = 0):
        self.config = config
        self.seed = seed
        self.device = resolve_device(config.device)
        self.bodies_: dict = {}
        self.heads_: dict[str, LogisticRegression] = {}

    def predict_proba_all(self, texts: Sequence[str],
                          options: InferenceOptions | None = None) -> dict[str, np.ndarray]:
        """Per task (n, n_classes) probabilities; of `options`, only the batch size applies
        (sentence-transformers bodies run eager fp32)."""
        options = options or InferenceOptions()
        texts = list(texts)
        out = {}
        for task in self.tasks:
            width = self.bodies_[task].get_embedding_dimension()
            embeddings = np.zeros((len(texts), width))
            for index in length_sorted_batches(texts, options.batch_size):
                embeddings[index] = self.bodies_[task].encode(
                    [texts[i] for i in index], batch_size=len(index), convert_to_numpy=True,
                    show_progress_bar=False)
            head = self.heads_[task]
            out[task] = align_columns(head.predict_proba(embeddings), head.classes_,
                               np.arange(len(self.classes(task))))
        return out

    def save(self, folder: Path) -> None:
        folder = Path(folder)
        for task in self.tasks:
            self.bodies_[task].save(str(folder / task / "body"), safe_serialization=True)
            save_skops(self.heads_[task], folder / task / "head.skops")
        write_manifest(folder, self, config=self.config, seed=self.seed)

    @classmethod
    def load(cls, folder: Path) -> SetFitMultiTask:
        from sentence_transformers import SentenceTransformer

        folder = Path(folder)
        _, config, seed = read_settings(folder, TransformerConfig)
        model = cls(config, seed)
        for task in model.tasks:
            body = folder / task / "body"
            if not (body / "model.safetensors").is_file():
                raise ModelLoadError(f"{body}: missing model.safetensors")
            model.bodies_[task] = SentenceTransformer(str(body), device=str(model.device))
            model.heads_[task] = load_skops(folder / task / "head.skops")
        return model

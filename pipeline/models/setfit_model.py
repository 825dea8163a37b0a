"""SetFit strategy: contrastive fine-tuning of the MiniLM body, then a logistic-regression head,
one (body, head) pair per task.

Persisted without pickle: each body as a sentence-transformers folder (safetensors), each
head through skops with the baseline's trusted-types check.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from zipfile import ZIP_DEFLATED

import numpy as np
import skops.io as sio
from sklearn.linear_model import LogisticRegression
from transformers import TrainerCallback

from pipeline.config import TransformerConfig, from_dict
from pipeline.models.base import ModelLoadError, MultiTaskModel
from pipeline.models.baseline import _align, load_skops
from pipeline.models.encoder import length_sorted_batches, resolve_device
from pipeline.models.persistence import read_manifest, write_manifest
from pipeline.models.runtime import InferenceOptions, current_config_keys

log = logging.getLogger(__name__)
LOGGING_STEPS = 10  # contrastive steps between loss records


class _LossRecorder(TrainerCallback):
    """Collects SetFit's contrastive loss as it is logged, and forwards it to `on_step`."""

    def __init__(self, task: str, on_step: Callable[[dict], None] | None):
        self.task = task
        self.on_step = on_step
        self.losses: list[float] = []

    def on_log(self, args, state, control, logs=None, **kwargs):
        if logs and "embedding_loss" in logs:
            self.losses.append(float(logs["embedding_loss"]))
            if self.on_step is not None:
                self.on_step({"task": self.task, "step": state.global_step,
                              "loss": self.losses[-1]})


def _accuracy(y_pred, y_true) -> dict[str, float]:
    """SetFit's metric, given as a function: a metric *name* would be fetched from a hub."""
    return {"accuracy": float(np.mean(np.asarray(y_pred) == np.asarray(y_true)))}


class SetFitMultiTask(MultiTaskModel):
    family = "setfit"

    def __init__(self, config: TransformerConfig, source: str | Path, seed: int = 0):
        self.config = config
        self.source = str(source)
        self.seed = seed
        self.device = resolve_device(config.device)
        self.bodies_: dict = {}
        self.heads_: dict[str, LogisticRegression] = {}

    def fit(self, texts: Sequence[str], labels: dict[str, Sequence[str]],
            on_step: Callable[[dict], None] | None = None) -> SetFitMultiTask:
        from datasets import Dataset
        from setfit import SetFitModel, Trainer, TrainingArguments

        source = self.source
        self.epoch_losses_ = []
        # SetFit writes checkpoints to its output_dir; keep them out of the work tree.
        scratch = tempfile.TemporaryDirectory(prefix="setfit-")
        for task in self.tasks:
            classes = list(self.classes(task))
            y = [classes.index(v) for v in labels[task]]
            model = SetFitModel.from_pretrained(
                source, head_params={"C": self.config.setfit_head_C, "max_iter": 2000,
                                     "class_weight": "balanced"},
                device=str(self.device))
            model.model_body.max_seq_length = self.config.max_length
            args = TrainingArguments(
                batch_size=self.config.batch_size, num_epochs=self.config.epochs,
                num_iterations=self.config.setfit_iterations,
                body_learning_rate=self.config.learning_rate, seed=self.seed,
                report_to="none",  # see shared/NOTES.md: DVCLive's callback crashes SetFit
                show_progress_bar=True, logging_steps=LOGGING_STEPS,
                output_dir=scratch.name, save_strategy="no",
            )
            recorder = _LossRecorder(task, on_step)
            trainer = Trainer(model=model, args=args, metric=_accuracy, callbacks=[recorder],
                              train_dataset=Dataset.from_dict({"text": list(texts), "label": y}))
            log.info("setfit: training the %s body and head on %d sentences", task, len(y))
            trainer.train()
            self.epoch_losses_.append(recorder.losses[-1] if recorder.losses else float("nan"))
            self.bodies_[task] = model.model_body
            self.heads_[task] = model.model_head
        scratch.cleanup()
        return self

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
            out[task] = _align(head.predict_proba(embeddings), head.classes_,
                               np.arange(len(self.classes(task))))
        return out

    def save(self, folder: Path) -> None:
        folder = Path(folder)
        for task in self.tasks:
            self.bodies_[task].save(str(folder / task / "body"), safe_serialization=True)
            sio.dump(self.heads_[task], folder / task / "head.skops", compression=ZIP_DEFLATED)
        write_manifest(folder, self.family, {
            "tasks": {task: self.classes(task).tolist() for task in self.tasks},
            "config": self.config.__dict__, "seed": self.seed,
        })

    @classmethod
    def load(cls, folder: Path) -> SetFitMultiTask:
        from sentence_transformers import SentenceTransformer

        folder = Path(folder)
        manifest = read_manifest(folder)
        model = cls(from_dict(TransformerConfig, current_config_keys(manifest["config"], folder)),
                    folder,
                    manifest.get("seed", 0))
        for task in model.tasks:
            body = folder / task / "body"
            if not (body / "model.safetensors").is_file():
                raise ModelLoadError(f"{body}: missing model.safetensors")
            model.bodies_[task] = SentenceTransformer(str(body), device=str(model.device))
            model.heads_[task] = load_skops(folder / task / "head.skops")
        return model

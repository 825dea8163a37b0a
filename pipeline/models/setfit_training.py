"""Training of the SetFit strategy, apart from the model: `SetFitArguments` says how to train,
`SetFitEstimator.fit` runs SetFit's own trainer per task on a `datasets.Dataset` and returns
the trained bodies and heads as a `SetFitMultiTask`, which never imports this module.
"""

from __future__ import annotations

import dataclasses
import logging
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from transformers import TrainerCallback

from pipeline.config import TransformerConfig
from pipeline.models.base import MultiTaskPredictor
from pipeline.models.data import multitask_dataset
from pipeline.models.encoder import resolve_device
from pipeline.models.estimator import TrainerEstimator
from pipeline.models.setfit_model import SetFitMultiTask

log = logging.getLogger(__name__)
LOGGING_STEPS = 10  # contrastive steps between loss records
HEAD_MAX_ITER = 2000  # the logistic-regression head's solver budget


@dataclasses.dataclass(frozen=True)
class SetFitArguments:
    """How `SetFitEstimator` trains each task's body and head; built from params."""

    epochs: int  # contrastive epochs over the sentence pairs
    batch_size: int
    body_learning_rate: float
    iterations: int  # contrastive pairs per sentence (SetFit's num_iterations)
    head_C: float  # inverse regularization of the logistic-regression head
    seed: int
    device: str = "auto"

    @classmethod
    def from_config(cls, config: TransformerConfig, seed: int) -> SetFitArguments:
        return cls(epochs=config.epochs, batch_size=config.batch_size,
                   body_learning_rate=config.learning_rate, iterations=config.setfit_iterations,
                   head_C=config.setfit_head_C, seed=seed, device=config.device)


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


class SetFitEstimator(TrainerEstimator):
    """SetFit on both tasks behind scikit-learn's `fit`: one body and head per task, each
    trained from the pretrained encoder in folder `source`. Learned state: `model_` (the
    trained `SetFitMultiTask`) and `epoch_losses_` (the last contrastive loss per task).

    `config` is the model's own (sequence length, device, inference batching), saved with it.
    """

    family = SetFitMultiTask.family

    def __init__(self, config: TransformerConfig, source: str | Path, args: SetFitArguments):
        self.config = config
        self.source = str(source)
        self.args = args

    def fit(self, texts: Sequence[str], labels: dict[str, Sequence[str]],
            on_step: Callable[[dict], None] | None = None) -> SetFitEstimator:
        from setfit import SetFitModel, Trainer, TrainingArguments

        args = self.args
        dataset = multitask_dataset(texts, labels,
                                    {task: self.classes(task) for task in self.tasks})
        trained = SetFitMultiTask(self.config, args.seed)
        self.epoch_losses_ = []
        # SetFit writes checkpoints to its output_dir; keep them out of the work tree.
        with tempfile.TemporaryDirectory(prefix="setfit-") as scratch:
            for task in self.tasks:
                model = SetFitModel.from_pretrained(
                    self.source, head_params={"C": args.head_C, "max_iter": HEAD_MAX_ITER,
                                              "class_weight": "balanced"},
                    device=str(resolve_device(args.device)))
                model.model_body.max_seq_length = self.config.max_length
                setfit_args = TrainingArguments(
                    batch_size=args.batch_size, num_epochs=args.epochs,
                    num_iterations=args.iterations, body_learning_rate=args.body_learning_rate,
                    seed=args.seed,
                    report_to="none",  # see shared/NOTES.md: DVCLive's callback crashes SetFit
                    show_progress_bar=True, logging_steps=LOGGING_STEPS,
                    output_dir=scratch, save_strategy="no",
                )
                recorder = _LossRecorder(task, on_step)
                trainer = Trainer(
                    model=model, args=setfit_args, metric=_accuracy, callbacks=[recorder],
                    train_dataset=dataset.select_columns(["text", task])
                    .rename_column(task, "label"))
                log.info("setfit: training the %s body and head on %d sentences", task,
                         len(dataset))
                trainer.train()
                self.epoch_losses_.append(recorder.losses[-1] if recorder.losses
                                          else float("nan"))
                trained.bodies_[task] = model.model_body
                trained.heads_[task] = model.model_head
        self.model_ = trained
        return self

    @classmethod
    def load(cls, folder: Path) -> MultiTaskPredictor:
        """The saved model, ready to predict (a fit starts from the pretrained encoder)."""
        return SetFitMultiTask.load(folder)

"""scikit-learn's face of joint fine-tuning: `fit` builds a fresh `TransformerModel` and trains
it with `MultiTaskTrainer`, after fitting a distillation teacher when there is one.

This module sits above both the model and its trainer, so the dependency points one way:
estimator -> trainer -> model. Predictions and persistence are the trained model's own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline.models.base import MultiTaskModel, MultiTaskPredictor
from pipeline.models.data import multitask_dataset
from pipeline.models.estimator import TrainerEstimator
from pipeline.models.training import MultiTaskTrainer, TrainingArguments, with_teacher
from pipeline.models.transformer import TransformerModel

log = logging.getLogger(__name__)


class FineTunedTransformer(TrainerEstimator):
    """A transformer fine-tuned on both tasks by `fit(texts, labels)`.

    `make_model` builds a fresh, untrained `TransformerModel`, so every `fit` starts over;
    `make_teacher`, when given, builds an unfitted estimator whose class probabilities on the
    training texts become the soft targets of distillation. Learned state: `model_` (the
    trained model) and `epoch_losses_` (mean training loss of each epoch).
    """

    family = TransformerModel.family

    def __init__(self, make_model: Callable[[], TransformerModel], args: TrainingArguments,
                 make_teacher: Callable[[], MultiTaskModel] | None = None):
        self.make_model = make_model
        self.args = args
        self.make_teacher = make_teacher

    def fit(self, texts: Sequence[str], labels: dict[str, Sequence[str]],
            on_step: Callable[[dict], None] | None = None) -> FineTunedTransformer:
        texts = list(texts)
        dataset = multitask_dataset(texts, labels,
                                    {task: self.classes(task) for task in self.tasks})
        if self.make_teacher is not None:
            log.info("distillation: fitting the teacher on %d sentences", len(texts))
            teacher = self.make_teacher().fit(texts, labels)
            dataset = with_teacher(dataset, teacher.predict_proba_all(texts))
            del teacher
        model = self.make_model()
        self.epoch_losses_ = MultiTaskTrainer(model, self.args, dataset, on_step).train()
        self.model_ = model
        return self

    @classmethod
    def load(cls, folder: Path) -> MultiTaskPredictor:
        """The saved model, ready to predict (a fit starts from a fresh model anyway)."""
        return TransformerModel.load(folder)

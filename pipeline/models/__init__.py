"""Models behind one face: `MultiTaskPredictor` (both tasks at once; `MultiTaskModel` adds `fit`)
and per-task `TaskPredictor`s.

Evaluation and scoring only use that face, loaded with `load_model(folder)`; they never ask
which family a model is.
"""

from pipeline.models.base import ModelLoadError, MultiTaskModel, MultiTaskPredictor, TaskPredictor
from pipeline.models.persistence import load_model

__all__ = ["ModelLoadError", "MultiTaskModel", "MultiTaskPredictor", "TaskPredictor", "load_model"]

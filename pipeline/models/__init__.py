"""Models behind one face: `MultiTaskModel` (both tasks at once) and per-task `TaskPredictor`s.

Evaluation and scoring only use that face, loaded with `load_model(folder)`; they never ask
which family a model is.
"""

from pipeline.models.base import ModelLoadError, MultiTaskModel, TaskPredictor
from pipeline.models.persistence import load_model

__all__ = ["ModelLoadError", "MultiTaskModel", "TaskPredictor", "load_model"]

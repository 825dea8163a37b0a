"""scikit-learn objects on disk through skops, never pickle: what the baseline's pipelines and
SetFit's heads share.

Loading refuses any type outside TRUSTED_TYPES, so a tampered or foreign file cannot run code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED

import skops.io as sio

from pipeline.models.base import ModelLoadError

# The only types a saved baseline pipeline or SetFit head may contain.
TRUSTED_TYPES = [
    "collections.defaultdict",
    "numpy.float64",
    "numpy.int64",
    "numpy.dtype",
    "numpy.ndarray",
    "scipy.sparse._csr.csr_matrix",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.pipeline.Pipeline",
    "sklearn.svm._classes.LinearSVC",
    "sklearn.utils._bunch.Bunch",
]


def save_skops(estimator: Any, path: Path) -> None:
    """Write `estimator` to `path` (compressed), creating the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(estimator, path, compression=ZIP_DEFLATED)


def load_skops(path: Path) -> Any:
    """Load a skops file, refusing any type outside TRUSTED_TYPES (no code runs on refusal)."""
    if not path.is_file():
        raise ModelLoadError(f"missing model file {path}")
    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as error:  # skops raises zipfile/json/key errors for a corrupt file
        raise ModelLoadError(f"{path} is not a valid skops model file ({error})") from None
    refused = sorted(set(untrusted) - set(TRUSTED_TYPES))
    if refused:
        raise ModelLoadError(f"{path} contains types that are not trusted: {refused}; "
                             "refusing to load it (was the file tampered with?)")
    try:
        return sio.load(path, trusted=untrusted)
    except Exception as error:
        raise ModelLoadError(f"{path} could not be loaded ({error})") from None

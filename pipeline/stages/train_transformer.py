"""Stage `train_transformer`: labeled sentences -> models/transformer (finetune or setfit)."""

from __future__ import annotations

import logging
from dataclasses import asdict

from dvclive import Live

from pipeline.config import DistillConfig, EncoderConfig, TransformerConfig, load_section
from pipeline.logs import setup_logging
from pipeline.models.fitting import train_and_save
from pipeline.models.registry import model_builder
from pipeline.stages.common import load_training_inputs

log = logging.getLogger("pipeline.stages.train_transformer")
DESCRIPTIONS = {
    "finetune": "{encoder} fine-tuned jointly on both tasks: one shared encoder with "
                "mean pooling and a linear head per task, saved as safetensors.",
    "setfit": "SetFit: the {encoder} body tuned contrastively per task, with a "
              "logistic-regression head per task (bodies as safetensors, heads via skops).",
}


def main() -> None:
    setup_logging()
    inputs = load_training_inputs()
    config = load_section("transformer", TransformerConfig)
    encoder = load_section("encoder", EncoderConfig)
    distill = load_section("distill", DistillConfig)
    train = inputs.final_training_set()
    log.info("training transformer (%s) on %d sentences %s", config.strategy, len(train),
             train["source"].value_counts().to_dict())
    with Live(dir=inputs.paths.transformer_live, dvcyaml=False, save_dvc_exp=False,
              report=None) as live:

        def on_step(values: dict) -> None:
            prefix = f"train/{values['task']}_" if "task" in values else "train/"
            live.log_metric(prefix + "loss", values["loss"])
            if "learning_rate" in values:
                live.log_metric("train/learning_rate", values["learning_rate"])
            live.next_step()

        train_and_save(
            model_builder("transformer", inputs.seed)(), train,
            inputs.paths.transformer_model, inputs.paths.train_transformer_report,
            f"Transformer: {config.strategy}, {encoder.name}",
            DESCRIPTIONS[config.strategy].format(encoder=encoder.name),
            {"transformer": asdict(config), "encoder": asdict(encoder),
             "distill": asdict(distill), "data": asdict(inputs.data), "seed": inputs.seed},
            report_extra={"strategy": config.strategy}, on_step=on_step)


if __name__ == "__main__":
    main()

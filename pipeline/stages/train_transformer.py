"""Stage `train_transformer`: labeled sentences -> models/transformer (finetune or setfit)."""

from __future__ import annotations

import logging
from dataclasses import asdict

from dvclive import Live

from pipeline.config import TransformerConfig, load_section
from pipeline.io import write_json
from pipeline.logs import setup_logging
from pipeline.models.card import write_model_card
from pipeline.models.data import training_set
from pipeline.models.factory import build_transformer
from pipeline.models.fitting import fit_with_report
from pipeline.stages.common import load_training_inputs

log = logging.getLogger("pipeline.stages.train_transformer")
DESCRIPTIONS = {
    "finetune": "all-MiniLM-L6-v2 fine-tuned jointly on both tasks: one shared encoder with "
                "mean pooling and a linear head per task, saved as safetensors.",
    "setfit": "SetFit: the all-MiniLM-L6-v2 body tuned contrastively per task, with a "
              "logistic-regression head per task (bodies as safetensors, heads via skops).",
}


def main() -> None:
    setup_logging()
    inputs = load_training_inputs()
    config = load_section("transformer", TransformerConfig)
    train = training_set(inputs.labeled, inputs.augment, inputs.data,
                         inputs.labeling.min_confidence)
    log.info("training transformer (%s) on %d sentences %s", config.strategy, len(train),
             train["source"].value_counts().to_dict())
    model = build_transformer(config, inputs.seed)
    with Live(dir=inputs.paths.transformer_live, dvcyaml=False, save_dvc_exp=False,
              report=None) as live:

        def on_step(values: dict) -> None:
            prefix = f"train/{values['task']}_" if "task" in values else "train/"
            live.log_metric(prefix + "loss", values["loss"])
            if "learning_rate" in values:
                live.log_metric("train/learning_rate", values["learning_rate"])
            live.next_step()

        report = fit_with_report(model, train, on_step=on_step)
    report["strategy"] = config.strategy
    model.save(inputs.paths.transformer_model)
    write_json(inputs.paths.train_transformer_report, report)
    write_model_card(inputs.paths.transformer_model, f"Transformer: {config.strategy}",
                     DESCRIPTIONS[config.strategy], report,
                     {"transformer": asdict(config), "data": asdict(inputs.data),
                      "seed": inputs.seed})
    log.info("done in %.1fs; training accuracy %s", report["seconds"],
             report["training_accuracy"])


if __name__ == "__main__":
    main()

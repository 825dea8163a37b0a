"""The naive path the throughput benchmark compares against: a `transformers` text-classification
pipeline called once per sentence, one pipeline per task, over the same trained encoder and
heads (wrapped as a sequence-classification model), in fp32."""

from __future__ import annotations

import time
from pathlib import Path

import torch
from torch import nn
from transformers import (
    AutoConfig,
    AutoModelForSequenceClassification,
    PretrainedConfig,
    PreTrainedModel,
    pipeline,
)
from transformers.modeling_outputs import SequenceClassifierOutput

from pipeline.models import load_model
from pipeline.scoring.loading import set_threads


class _HeadConfig(PretrainedConfig):
    model_type = "stance_head"


class SingleTaskView(PreTrainedModel):
    """One task of the joint network as a sequence-classification model, for `pipeline`."""

    config_class = _HeadConfig

    def __init__(self, network, task: str, labels: list[str]):
        config = _HeadConfig(id2label=dict(enumerate(labels)),
                             label2id={label: i for i, label in enumerate(labels)})
        super().__init__(config)
        self.network = network
        self.task = task
        self.dummy = nn.Parameter(torch.zeros(1), requires_grad=False)

    def forward(self, input_ids=None, attention_mask=None, **kwargs):
        logits = self.network(input_ids=input_ids, attention_mask=attention_mask)[self.task]
        return SequenceClassifierOutput(logits=logits)


# Registered like any sequence-classification model, so `pipeline` accepts the view as one.
AutoConfig.register(_HeadConfig.model_type, _HeadConfig)
AutoModelForSequenceClassification.register(_HeadConfig, SingleTaskView)


def run_naive(model_dir: Path, texts: list[str]) -> dict:
    """Labels of `texts` by the naive path, and its rate (sentences/s, model load excluded)."""
    model = load_model(model_dir)
    set_threads(0)  # one per usable core, as `stance score` does
    pipes = {task: pipeline("text-classification",
                            model=SingleTaskView(model.network, task,
                                                 list(model.classes(task))).eval(),
                            tokenizer=model.tokenizer, device=-1,
                            truncation=True, max_length=model.config.max_length)
             for task in model.tasks}
    labels = {task: [] for task in model.tasks}
    started = time.perf_counter()
    for text in texts:
        for task, pipe in pipes.items():
            labels[task].append(pipe(text)[0]["label"])
    seconds = time.perf_counter() - started
    return {"sentences": len(texts), "seconds": seconds,
            "sentences_per_second": len(texts) / seconds, "labels": labels}


def combine(runs: list[dict]) -> dict:
    """Runs of the naive path (say, before and after the timed ones) as one."""
    sentences = sum(run["sentences"] for run in runs)
    seconds = sum(run["seconds"] for run in runs)
    labels = {task: [label for run in runs for label in run["labels"][task]]
              for task in runs[0]["labels"]}
    return {"sentences": sentences, "seconds": seconds,
            "sentences_per_second": sentences / seconds,
            "parts_sentences_per_second": [run["sentences_per_second"] for run in runs],
            "labels": labels}

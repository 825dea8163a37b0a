"""The naive path the throughput benchmark compares against: a `transformers` text-classification
pipeline called once per sentence, one pipeline per task, over the same trained encoder and
heads (wrapped as a sequence-classification model), in fp32.

End to end, as a user without `stance score` would do the job, and as `stance score` is timed:

    python -m benchmarks.naive CORPUS_FOLDER -o OUT.csv [--model models/transformer]

reads every article, splits it with the split stage's splitter (pySBD), labels each sentence
with one pipeline call per task, and writes one CSV row per sentence. It prints the seconds
spent in the pipeline calls alone as JSON on stdout.
"""

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


def score_naive(model_dir: Path, corpus: Path, output: Path) -> dict:
    """Split every article of `corpus` (*.txt) with the split stage's config and label each
    sentence with `run_naive`; write `source, text, <task>...` rows to `output` (CSV)."""
    import pandas as pd

    from pipeline.config import SplitConfig, load_section
    from pipeline.text.articles import split_file

    split = load_section("split", SplitConfig)
    sources, texts = [], []
    for path in sorted(corpus.glob("*.txt")):
        for unit in split_file(path, split, keep_repeated_sentences=True).sentences:
            sources.append(str(path))
            texts.append(unit.text)
    naive = run_naive(model_dir, texts)
    pd.DataFrame({"source": sources, "text": texts, **naive["labels"]}).to_csv(output,
                                                                            index=False)
    return {"sentences": naive["sentences"], "pipeline_seconds": naive["seconds"]}


def main() -> None:
    import argparse
    import json

    parser = argparse.ArgumentParser(description="the naive path, end to end")
    parser.add_argument("corpus", type=Path, help="a folder of *.txt articles")
    parser.add_argument("-o", "--output", type=Path, required=True, help="CSV, one row a sentence")
    parser.add_argument("--model", type=Path, default=Path("models/transformer"))
    args = parser.parse_args()
    print(json.dumps(score_naive(args.model, args.corpus, args.output)))


if __name__ == "__main__":
    main()

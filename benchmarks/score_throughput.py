"""Throughput of `stance score` against a naive path, in one run, on the same machine.

    python -m benchmarks.score_throughput [--sentences 20000] [--naive-sample 2000]

1. Builds a corpus of synthetic articles (at least --sentences sentences) from the team's
   synthetic sentences in data/augment/, shuffled with a fixed seed.
2. Runs the real CLI, `stance score CORPUS -o OUT` (fp32, then --bf16), in a subprocess, and
   records sentences/s (end to end, and net of the start-up time of a one-sentence run) and
   the subprocess's peak resident memory.
3. Runs the naive path on a sample of the same sentences, half before and half after step 2:
   a `transformers` text-classification pipeline called once per sentence, one pipeline per
   task, over the same trained encoder and heads (wrapped as a sequence-classification model).
4. Prints both rates, the ratios, and whether the labels agree on the sample.

Needs a trained transformer (`dvc repro train_transformer`). Takes several minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
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

from pipeline.config import PathsConfig, load_section
from pipeline.labeling.datasets import load_augment
from pipeline.models import load_model
from pipeline.scoring.loading import set_threads, usable_cores


def build_corpus(folder: Path, sentences: int, seed: int = 0) -> list[str]:
    """Articles of 8-40 sentences in 2-5 paragraphs, drawn from the synthetic sentences.
    Returns the sentences written, which are exactly what the splitter finds again."""
    pool = [t for t in load_augment("data/augment")["text"] if t.rstrip().endswith((".", "?", "!"))]
    rng = random.Random(seed)
    written: list[str] = []
    article = 0
    while len(written) < sentences:
        n = rng.randint(8, 40)
        body = rng.sample(pool, n)
        cuts = sorted(rng.sample(range(1, n), rng.randint(1, 4)))
        paragraphs = [" ".join(body[a:b]) for a, b in zip([0, *cuts], [*cuts, n], strict=True)]
        (folder / f"bench_{article:05d}.txt").write_text("\n\n".join(paragraphs) + "\n",
                                                         encoding="utf-8")
        written.extend(body)
        article += 1
    return written


def run_cli(corpus: Path, output: Path, extra: list[str]) -> dict:
    """Time the real CLI in a child process and read its peak RSS."""
    command = [sys.executable, "-m", "pipeline.cli", "score", str(corpus), "-o", str(output),
               "--no-progress", "--overwrite", *extra]
    started = time.perf_counter()
    child = subprocess.Popen(command, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    # wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix in earlier runs).
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"stance score failed: {' '.join(command)}")
    frame = pd.read_csv(output)
    return {"sentences": len(frame), "seconds": seconds,
            "sentences_per_second": len(frame) / seconds,
            "peak_rss_mib": usage.ru_maxrss / 1024, "frame": frame}


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


def startup_seconds(scratch: Path, model: str) -> float:
    """Wall time of `stance score` on one sentence: interpreter start, imports, model load."""
    article = scratch / "one.txt"
    article.write_text("European troops could be deployed to Ukraine next year.\n",
                       encoding="utf-8")
    return run_cli(article, scratch / "one.csv", ["--model", model])["seconds"]


def combine(runs: list[dict]) -> dict:
    sentences = sum(run["sentences"] for run in runs)
    seconds = sum(run["seconds"] for run in runs)
    labels = {task: [label for run in runs for label in run["labels"][task]]
              for task in runs[0]["labels"]}
    return {"sentences": sentences, "seconds": seconds,
            "sentences_per_second": sentences / seconds,
            "halves_sentences_per_second": [run["sentences_per_second"] for run in runs],
            "labels": labels}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=20_000)
    parser.add_argument("--naive-sample", type=int, default=2_000,
                        help="sentences the naive path scores (its rate is per sentence)")
    parser.add_argument("--output", type=Path, default=Path("reports/benchmark_score.json"))
    args = parser.parse_args()
    paths = load_section("paths", PathsConfig)
    model = paths.transformer_model
    with tempfile.TemporaryDirectory(prefix="stance-bench-") as scratch:
        scratch = Path(scratch)
        corpus = scratch / "corpus"
        corpus.mkdir()
        sentences = build_corpus(corpus, args.sentences)
        print(f"corpus: {len(sentences)} sentences in {len(list(corpus.iterdir()))} articles")
        sample = random.Random(1).sample(sentences, min(args.naive_sample, len(sentences)))
        # Half the naive sample before our runs and half after, so a machine that speeds up
        # or slows down during the benchmark does not favour either path.
        half = len(sample) // 2
        naive_runs = [run_naive(Path(model), sample[:half])]
        startup = startup_seconds(scratch, model)
        print(f"stance score start-up (one sentence): {startup:.1f}s")
        ours = run_cli(corpus, scratch / "fp32.csv", ["--model", model])
        print(f"stance score (fp32): {ours['sentences_per_second']:.1f} sentences/s, "
              f"peak RSS {ours['peak_rss_mib']:.0f} MiB")
        bf16 = run_cli(corpus, scratch / "bf16.csv", ["--model", model, "--bf16"])
        print(f"stance score (bf16): {bf16['sentences_per_second']:.1f} sentences/s, "
              f"peak RSS {bf16['peak_rss_mib']:.0f} MiB")
        naive_runs.append(run_naive(Path(model), sample[half:]))
        naive = combine(naive_runs)
        print(f"naive pipeline, per sentence, per task: "
              f"{naive['sentences_per_second']:.1f} sentences/s")
    frame = ours["frame"]
    ours_by_text = {task: dict(zip(frame["text"], frame[task], strict=True))
                    for task in naive["labels"]}
    agreement = {task: float(np.mean([ours_by_text[task][text] == label for text, label
                                      in zip(sample, naive["labels"][task], strict=True)]))
                 for task in naive["labels"]}
    bf16_agreement = {task: float(np.mean(bf16["frame"][task].to_numpy() == frame[task].to_numpy()))
                      for task in naive["labels"]}
    for run in (ours, bf16):
        run["sentences_per_second_after_startup"] = run["sentences"] / (run["seconds"] - startup)
    result = {
        "usable_cores": usable_cores(),
        "corpus_sentences": len(sentences),
        "startup_seconds": startup,
        "stance_score_fp32": {k: v for k, v in ours.items() if k != "frame"},
        "stance_score_bf16": {k: v for k, v in bf16.items() if k != "frame"},
        "naive": {k: v for k, v in naive.items() if k != "labels"},
        "speedup_fp32": ours["sentences_per_second"] / naive["sentences_per_second"],
        "speedup_bf16": bf16["sentences_per_second"] / naive["sentences_per_second"],
        "label_agreement_fp32_vs_naive": agreement,
        "label_agreement_bf16_vs_fp32": bf16_agreement,
    }
    print(f"speed-up, end to end: {result['speedup_fp32']:.1f}x (fp32), "
          f"{result['speedup_bf16']:.1f}x (bf16); after start-up: "
          f"{ours['sentences_per_second_after_startup'] / naive['sentences_per_second']:.1f}x, "
          f"{bf16['sentences_per_second_after_startup'] / naive['sentences_per_second']:.1f}x")
    print(f"labels identical to the naive path on {len(sample)} sentences: {agreement}")
    print(f"bf16 labels equal to fp32: {bf16_agreement}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()

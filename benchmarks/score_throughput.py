"""Throughput and memory of `stance score` on real-length prose, against the naive path, in one run.

    python -m benchmarks.score_throughput [--sizes 1000 10000 100000] [--naive-up-to 10000]
        [--paths default fp32 torch_eager pysbd reader_process onnx ...] [--all-paths-up-to 10000]

1. Builds one corpus per size from whole seed and synthetic articles (`benchmarks.corpus`),
   whose mean characters per sentence is within 10% of the seed articles'.
2. Runs the real CLI, `stance score CORPUS -o OUT`, in a subprocess per path and size, and
   records sentences/s end to end and the subprocess's peak resident memory. A path is a set
   of CLI flags (`PATHS`); `default` is the project's `score.*` as configured. Sizes above
   --all-paths-up-to run `default` and `fp32` only. A one-sentence call per path measures
   start-up (and warms the ONNX export cache, so no timed run pays for an export).
3. Runs the naive path (`python -m benchmarks.naive`) end to end on the same corpus, timed the
   same way (its own process: imports, model load, reading, pySBD splitting, one pipeline
   call per sentence per task, CSV), before the paths of each size up to --naive-up-to.
   Larger sizes are compared with the naive rate of the largest size it ran (its cost is per
   sentence). Every run records the load average at its start: other work on the cores shows.
4. Writes reports/benchmark_score.json (every figure), reports/benchmark_score.csv (one row
   per size: the DVC plot of sentences/s and peak RSS against size) and a PNG of the same.

Needs a trained transformer (`dvc repro train_transformer`). With the default mpnet model,
`--sizes 1000 10000 --paths default fp32` took 21 minutes on a quiet 2-core machine
(the naive 10k run alone about 15); with MiniLM the full default run took 20-30 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.corpus import LENGTH_TOLERANCE, build_corpus
from pipeline.config import PathsConfig, SplitConfig, load_section
from pipeline.models.runtime import native_bf16_features
from pipeline.scoring.loading import usable_cores

# Each path: the `stance score` flags that select it. `default` is score.* as configured
# (torchscript runtime, bf16 where the CPU has it, blingfire splitting); `fp32` changes only
# the precision; the others change one more setting each.
PATHS = {
    "default": [],
    "fp32": ["--precision", "fp32"],
    "torch_eager": ["--runtime", "torch"],
    "fp32_torch_eager": ["--precision", "fp32", "--runtime", "torch"],
    "pysbd": ["--split-engine", "pysbd"],
    "reader_process": ["--reader-process"],
    "torch_int8": ["--runtime", "torch_int8"],
    "onnx": ["--runtime", "onnx"],
    "onnx_int8": ["--runtime", "onnx_int8"],
}
ALWAYS = ("default", "fp32")  # the paths run at every size


def run_cli(corpus: Path, output: Path, extra: list[str]) -> dict:
    """Time the real CLI in a child process and read its peak RSS."""
    return run_timed([sys.executable, "-m", "pipeline.cli", "score", str(corpus), "-o",
                      str(output), "--no-progress", "--overwrite", *extra], output)


def run_naive_cli(corpus: Path, output: Path, model: str) -> dict:
    """Time the naive path end to end in a child process, as `run_cli` times `stance score`."""
    return run_timed([sys.executable, "-m", "benchmarks.naive", str(corpus), "-o", str(output),
                      "--model", model], output)


def run_timed(command: list[str], output: Path) -> dict:
    """Wall time and peak RSS of `command`, and the labels it wrote to `output` (CSV)."""
    load_average = os.getloadavg()[0]
    started = time.perf_counter()
    child = subprocess.Popen(command, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    # wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix in earlier runs); the
    # reader process, when used, is the child's child and is not counted.
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    frame = pd.read_csv(output, usecols=["source", "text", "stance", "claim_type"])
    return {"sentences": len(frame), "seconds": seconds,
            "sentences_per_second": len(frame) / seconds,
            "peak_rss_mib": usage.ru_maxrss / 1024, "load_average_at_start": load_average,
            "frame": frame}


def startup_seconds(scratch: Path, model: str, flags: list[str]) -> float:
    """Wall time of `stance score` on one sentence: interpreter start, imports, model load."""
    article = scratch / "one.txt"
    article.write_text("European troops could be deployed to Ukraine next year.\n",
                       encoding="utf-8")
    return run_cli(article, scratch / "one.csv", ["--model", model, *flags])["seconds"]


def model_load_seconds(model: str) -> float:
    """Seconds to load the model in a fresh process, imports excluded (the `plus model load`
    part of the start-up budget)."""
    code = ("import time; from pathlib import Path; from pipeline.models import load_model; "
            "import pipeline.models.transformer; t = time.perf_counter(); "
            f"load_model(Path({model!r})); print(time.perf_counter() - t)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    return float(result.stdout.strip().splitlines()[-1])


def agreement_by_text(frame: pd.DataFrame, reference: pd.DataFrame) -> dict[str, float]:
    """Label agreement over the sentences both runs found, matched by article and text (paths
    may split differently: the naive path and `--split-engine pysbd` with pySBD, the others
    with blingfire)."""
    keys = ["source", "text"]
    joined = frame.drop_duplicates(keys).merge(reference.drop_duplicates(keys), on=keys,
                                               suffixes=("", "_reference"))
    return {"matched_sentences": len(joined),
            **{task: float(np.mean(joined[task] == joined[f"{task}_reference"]))
               for task in ("stance", "claim_type")}}


def write_plots(rows: pd.DataFrame, csv: Path, png: Path) -> None:
    """One row per size (the DVC plot's data) and a two-panel PNG of the same."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows.to_csv(csv, index=False)
    figure, (rate, memory) = plt.subplots(1, 2, figsize=(10, 4))
    for name in ALWAYS:
        rate.plot(rows["sentences"], rows[f"{name}_sentences_per_second"], marker="o",
                  label=f"stance score ({name})")
        memory.plot(rows["sentences"], rows[f"{name}_peak_rss_mib"], marker="o", label=name)
    rate.plot(rows["sentences"], rows["naive_sentences_per_second"], color="grey",
              linestyle="--", marker="o", label="naive pipeline")
    for axis, label in ((rate, "sentences/s (end to end)"), (memory, "peak RSS (MiB)")):
        axis.set_xscale("log")
        axis.set_xlabel("corpus size (sentences)")
        axis.set_ylabel(label)
        axis.set_ylim(bottom=0)
        axis.legend()
    figure.tight_layout()
    figure.savefig(png, dpi=120)
    plt.close(figure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--naive-up-to", type=int, default=10_000,
                        help="run the naive path at sizes up to this (per 10k sentences on 2 "
                             "cores: ~15 min with mpnet, ~2.5 with MiniLM)")
    parser.add_argument("--paths", nargs="+", choices=sorted(PATHS), default=list(PATHS))
    parser.add_argument("--all-paths-up-to", type=int, default=10_000,
                        help="larger sizes run only the default and fp32 paths")
    parser.add_argument("--output", type=Path, default=Path("reports/benchmark_score.json"))
    args = parser.parse_args()
    paths_config = load_section("paths", PathsConfig)
    split = load_section("split", SplitConfig)
    model = paths_config.transformer_model
    names = [name for name in PATHS if name in {*args.paths, *ALWAYS}]
    # The load average says whether other work shared the cores (timings are noise then).
    result: dict = {"usable_cores": usable_cores(), "native_bf16": native_bf16_features(),
                    "load_average_at_start": os.getloadavg(),
                    "paths": {name: PATHS[name] for name in names}, "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="stance-bench-") as scratch:
        scratch = Path(scratch)
        corpora = {}
        for size in sorted(args.sizes):
            corpora[size] = build_corpus(scratch / f"corpus_{size}", size, paths_config, split)
            stats = corpora[size]
            print(f"corpus {size}: {stats.sentences} sentences in {stats.articles} articles, "
                  f"{stats.mean_chars_per_sentence:.0f} chars/sentence (seed articles "
                  f"{stats.seed_mean_chars_per_sentence:.0f}, ratio {stats.length_ratio:.2f})",
                  flush=True)
            if abs(stats.length_ratio - 1) > LENGTH_TOLERANCE:
                raise SystemExit(f"corpus sentences are not of real length: ratio "
                                 f"{stats.length_ratio:.2f}")
        result["model_load_seconds"] = model_load_seconds(model)
        result["startup_seconds"] = {name: startup_seconds(scratch, model, PATHS[name])
                                     for name in names}
        print(f"start-up of a one-sentence call: {result['startup_seconds']} (model load "
              f"{result['model_load_seconds']:.1f}s)", flush=True)
        naive = None
        for size, stats in corpora.items():
            corpus = scratch / f"corpus_{size}"
            if size <= args.naive_up_to or naive is None:
                naive = run_naive_cli(corpus, scratch / "naive.csv", model)
                naive["size"] = size
                print(f"  {size} naive: {naive['sentences_per_second']:.1f} sentences/s, "
                      f"peak RSS {naive['peak_rss_mib']:.0f} MiB", flush=True)
            runs = {}
            for name in names:
                if name not in ALWAYS and size > args.all_paths_up_to:
                    continue
                runs[name] = run_cli(corpus, scratch / f"{name}.csv",
                                     ["--model", model, *PATHS[name]])
                runs[name]["speedup_vs_naive"] = (runs[name]["sentences_per_second"]
                                                  / naive["sentences_per_second"])
                print(f"  {size} {name}: {runs[name]['sentences_per_second']:.1f} sentences/s "
                      f"({runs[name]['speedup_vs_naive']:.1f}x naive), peak RSS "
                      f"{runs[name]['peak_rss_mib']:.0f} MiB", flush=True)
            reference = runs["fp32"]["frame"]
            result["sizes"][size] = {
                "corpus": {"articles": stats.articles, "sentences": stats.sentences,
                           "mean_chars_per_sentence": stats.mean_chars_per_sentence,
                           "seed_mean_chars_per_sentence": stats.seed_mean_chars_per_sentence,
                           "length_ratio": stats.length_ratio},
                "naive": {**{k: v for k, v in naive.items() if k != "frame"},
                          "measured_at_this_size": naive["size"] == size,
                          "label_agreement_with_fp32": (
                              agreement_by_text(naive["frame"], reference)
                              if naive["size"] == size else None)},
                "runs": {name: {**{k: v for k, v in run.items() if k != "frame"},
                                "label_agreement_with_fp32": agreement_by_text(run["frame"],
                                                                               reference)}
                         for name, run in runs.items()}}
    rows = []
    for size, entry in result["sizes"].items():
        row = {"sentences": entry["corpus"]["sentences"],
               "naive_sentences_per_second": entry["naive"]["sentences_per_second"]}
        for name, run in entry["runs"].items():
            print(f"{size:>7} {name:<12} {run['sentences_per_second']:7.1f} sentences/s "
                  f"{run['speedup_vs_naive']:5.1f}x naive, peak RSS {run['peak_rss_mib']:.0f} "
                  f"MiB, labels equal to fp32 {run['label_agreement_with_fp32']}")
            if name in ALWAYS:
                row[f"{name}_sentences_per_second"] = run["sentences_per_second"]
                row[f"{name}_peak_rss_mib"] = run["peak_rss_mib"]
        rows.append(row)
    result["load_average_at_end"] = os.getloadavg()
    largest = result["sizes"][max(args.sizes)]["corpus"]
    result["corpus_mean_chars_per_sentence"] = largest["mean_chars_per_sentence"]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    write_plots(pd.DataFrame(rows), args.output.with_suffix(".csv"),
                args.output.with_suffix(".png"))
    print(f"wrote {args.output} and its .csv and .png")


if __name__ == "__main__":
    main()

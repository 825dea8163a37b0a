"""The `stance` command: a thin layer over the library (the stages call the same functions)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from pipeline.config import PARAMS_FILE, ConfigError, SplitConfig, load_section, write_params

app = typer.Typer(
    help="Stance and claim-type labels for news sentences about European troops for Ukraine.",
    no_args_is_help=True,
    add_completion=False,
)


@app.command()
def params(
    overrides: Annotated[
        list[str] | None, typer.Argument(help="Hydra overrides, e.g. baseline=tfidf_svm")
    ] = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="file to write")] = PARAMS_FILE,
) -> None:
    """Recompose params.yaml from configs/ (the same composition `dvc exp run` writes)."""
    try:
        write_params(output, overrides or [])
    except ConfigError as error:
        _fail(str(error))
    typer.echo(f"wrote {output}")


@app.command()
def split(
    article: Annotated[
        Path, typer.Argument(help="a UTF-8 .txt article", exists=True, dir_okay=False)
    ],
) -> None:
    """Print the sentence units of one article as JSON lines, with the pipeline's own splitter."""
    from pipeline.text.articles import ArticleError, split_file

    config = load_section("split", SplitConfig)
    try:
        result = split_file(article, config)
    except ArticleError as error:
        typer.secho(f"error: {error}", fg="red", err=True)
        raise typer.Exit(2) from None
    for sentence in result.sentences:
        typer.echo(json.dumps(sentence.__dict__, ensure_ascii=False))
    for dropped in result.dropped:
        typer.secho(f"dropped line {dropped['line']} ({dropped['reason']}): {dropped['text']}",
                    err=True, fg="yellow")


FORMAT_HELP = "csv | jsonl | parquet (default: from OUTPUT's suffix, else score.format)"


@app.command()
def score(
    inputs: Annotated[list[str], typer.Argument(
        help="articles: .txt files, folders (recursive *.txt), globs, JSONL files with "
             "'id' and 'text', or - for stdin", show_default=False)],
    output: Annotated[Path, typer.Option(
        "-o", "--output",
        help="sentence-level output file (with --engine ray: a folder of Parquet files)")],
    model: Annotated[str | None, typer.Option(
        "--model", help="transformer | baseline | PATH to a model folder [score.model]")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help=FORMAT_HELP)] = None,
    batch_size: Annotated[int | None, typer.Option(
        "--batch-size", help="sentences per forward pass [score.batch_size]")] = None,
    summary: Annotated[Path | None, typer.Option(
        "--summary", help="also write one row per article (csv/jsonl/parquet by suffix)")] = None,
    overwrite: Annotated[bool, typer.Option(help="replace existing output files")] = False,
    skip_errors: Annotated[bool, typer.Option(
        "--skip-errors", help="exit 0 even when some inputs were skipped")] = False,
    precision: Annotated[str | None, typer.Option(
        "--precision", help="auto (bf16 where the CPU has native bf16) | fp32 | bf16 "
                            "[score.precision]")] = None,
    runtime: Annotated[str | None, typer.Option(
        "--runtime", help="torchscript | torch | torch_int8 | onnx | onnx_int8 "
                               "[score.runtime]")] = None,
    reader_process: Annotated[bool | None, typer.Option(
        "--reader-process/--no-reader-process",
        help="split articles in a separate process, ahead of inference "
             "[score.reader_process]")] = None,
    split_engine: Annotated[str | None, typer.Option(
        "--split-engine", help="blingfire | pysbd: the sentence splitter "
                               "[score.split_engine]")] = None,
    engine: Annotated[str | None, typer.Option(
        "--engine", help="local (this process) | ray (Ray Data, embedded or a cluster) "
                         "[score.engine]")] = None,
    ray_address: Annotated[str | None, typer.Option(
        "--ray-address", envvar="RAY_ADDRESS",
        help="with --engine ray: join this Ray cluster (default: start one on this machine)")
    ] = None,
    ray_actors: Annotated[int | None, typer.Option(
        "--ray-actors", help="with --engine ray: model actors (0 = one per CPU of the "
                             "cluster) [score.ray_actors]")] = None,
    progress: Annotated[bool, typer.Option(help="show a progress bar")] = True,
    verbose: Annotated[bool, typer.Option(
        "--verbose", help="show the model libraries' own progress bars and logs")] = False,
) -> None:
    """Split and label new articles (one row per sentence, optional per-article summary).

    Each row holds the sentence's offsets and text, its stance and claim type, and their class
    probabilities. Skipped inputs are listed at the end and make the exit status 1.
    """
    # Models load from local folders only: no hub look-ups (read when the hub client loads).
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import signal

    from tqdm import tqdm

    from pipeline.config import ProjectNotFoundError
    from pipeline.logs import setup_logging
    from pipeline.models import ModelLoadError
    from pipeline.scoring.job import ScoreRequest, Terminated, run_score, sigterm_raises
    from pipeline.scoring.run import EngineError, NoSentencesError
    from pipeline.scoring.writers import OutputExistsError

    setup_logging()  # says which inference precision and runtime run, and why
    bars = []  # made on the first chunk: the Ray engine shows Ray Data's bars instead

    def on_chunk(sentences: int, articles: int, skipped: int) -> None:
        if not bars:
            bars.append(tqdm(desc="score", unit="sent", disable=not progress, smoothing=0.1))
        bars[0].update(sentences)
        bars[0].set_postfix(articles=articles, skipped=skipped)

    request = ScoreRequest(
        inputs, output, model=model, format=fmt, batch_size=batch_size, precision=precision,
        runtime=runtime, reader_process=reader_process, split_engine=split_engine,
        summary=summary, overwrite=overwrite,
        progress=progress, verbose=verbose, engine=engine, ray_address=ray_address,
        ray_actors=ray_actors, on_chunk=on_chunk)
    try:
        with sigterm_raises():
            try:
                result = run_score(request)
            finally:
                for bar in bars:
                    bar.close()
    except Terminated:
        typer.secho("terminated: no output written", fg="red", err=True)
        raise typer.Exit(128 + signal.SIGTERM) from None
    except KeyboardInterrupt:
        typer.secho("interrupted: no output written", fg="red", err=True)
        raise typer.Exit(130) from None
    except NoSentencesError as error:
        typer.secho(f"error: {error}", fg="red", err=True)
        _report_skipped(error.skipped)
        raise typer.Exit(2) from None
    except (ProjectNotFoundError, ModelLoadError, OutputExistsError, EngineError,
            ValueError) as error:
        _fail(str(error))
    typer.echo(f"scored {result.sentences} sentences from {result.articles} articles in "
               f"{result.seconds:.1f}s ({result.sentences_per_second:.0f} sentences/s) -> "
               f"{output}" + (f", summary -> {summary}" if summary else ""), err=True)
    if result.skipped:
        _report_skipped(result.skipped)
        if not skip_errors:
            typer.secho("exiting with status 1 because inputs were skipped "
                        "(pass --skip-errors to accept that)", fg="yellow", err=True)
            raise typer.Exit(1)


def _report_skipped(skipped) -> None:
    if skipped:
        typer.secho(f"skipped {len(skipped)} input(s):", fg="yellow", err=True)
    for item in skipped:
        typer.secho(f"  {item.source}: {item.reason}", fg="yellow", err=True)


@app.command()
def select(
    scores: Annotated[Path, typer.Argument(
        help="a `stance score` output (csv, jsonl or parquet)", show_default=False)],
    n: Annotated[int, typer.Option("-n", help="how many sentences to pick")] = 50,
    output: Annotated[Path, typer.Option(
        "-o", "--output", help="Label Studio import file (JSON)")] = Path("label_tasks.json"),
    strategy: Annotated[str, typer.Option(help="margin (least margin) | entropy")] = "margin",
    task: Annotated[str, typer.Option(
        help="which task's uncertainty ranks sentences: stance | claim_type | both")] = "both",
    per_article: Annotated[int, typer.Option(
        "--per-article", help="at most this many sentences from one article")] = 3,
    duplicate_similarity: Annotated[float, typer.Option(
        "--duplicate-similarity",
        help="drop a sentence whose TF-IDF cosine to one already picked reaches this")] = 0.8,
    overwrite: Annotated[bool, typer.Option(help="replace an existing output file")] = False,
) -> None:
    """Pick the sentences most worth labeling next from scored articles, as Label Studio
    tasks (labeling config: docs/label_studio.xml)."""
    from pipeline.annotation.label_studio import tasks_for_import
    from pipeline.annotation.select import SelectionError, read_scores, select_for_labeling
    from pipeline.io import write_json
    from pipeline.labels import TASKS

    if output.exists() and not overwrite:
        _fail(f"{output} exists; pass --overwrite to replace it")
    tasks = tuple(TASKS) if task == "both" else (task,)
    if not set(tasks) <= set(TASKS):
        _fail(f"--task must be stance, claim_type or both, got {task!r}")
    try:
        chosen = select_for_labeling(read_scores(scores), n, strategy, tasks, per_article,
                                     duplicate_similarity)
    except (SelectionError, OSError, ValueError) as error:
        _fail(f"{scores}: {error}")
    write_json(output, tasks_for_import(chosen))
    articles = chosen["article_id"].nunique() if len(chosen) else 0
    typer.echo(f"wrote {len(chosen)} tasks from {articles} articles to {output} "
               f"(strategy {strategy}, task {task}; import with docs/label_studio.xml)")


@app.command("import-labels")
def import_labels(
    export: Annotated[Path, typer.Argument(
        help="a Label Studio JSON export of `stance select` tasks", show_default=False)],
    gold: Annotated[Path | None, typer.Option(
        help="gold file to add the new labels to [paths.gold]")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="report what would change, write nothing")] = False,
) -> None:
    """Add labels from a Label Studio export to gold: every label is checked against the
    contract, labels that differ from existing gold are reported as conflicts (never
    overwritten), and each new record keeps who labeled it and when."""
    from pipeline.annotation.label_studio import ExportError, append_jsonl, plan_merge, read_export
    from pipeline.config import PathsConfig

    gold = gold or Path(load_section("paths", PathsConfig).gold)
    try:
        result = read_export(export)
    except ExportError as error:
        _fail(str(error))
    plan = plan_merge(result.records, gold)
    conflicts_file = gold.with_name("conflicts.jsonl")
    for item in result.invalid:
        typer.secho(f"invalid: {item['task']} {item.get('sentence_id', '')} "
                    f"({item.get('annotator', '?')}): {item['reason']}", fg="red", err=True)
    for item in result.disagreements:
        typer.secho(f"annotators disagree on {item['sentence_id']}: {item['labels']}",
                    fg="yellow", err=True)
    for item in plan.conflicts:
        typer.secho(f"conflict with gold on {item['sentence_id']}: gold {item['gold']}, "
                    f"imported {item['imported']} by {', '.join(item['annotators'])}",
                    fg="yellow", err=True)
    if not dry_run:
        append_jsonl(gold, plan.new)
        append_jsonl(conflicts_file, [{**item, "kind": "gold_conflict"}
                                      for item in plan.conflicts]
                     + [{**item, "kind": "annotator_disagreement"}
                        for item in result.disagreements])
    verb = "would add" if dry_run else "added"
    typer.echo(f"{export}: {verb} {len(plan.new)} new labels to {gold}; "
               f"{len(plan.unchanged)} already in gold; {len(plan.conflicts)} conflicts with "
               f"gold and {len(result.disagreements)} annotator disagreements "
               f"{'to review' if dry_run else f'written to {conflicts_file}'}; "
               f"{len(result.invalid)} invalid and {len(result.skipped)} cancelled or empty "
               "annotations skipped")
    if result.invalid or plan.conflicts or result.disagreements:
        raise typer.Exit(1)


def _fail(message: str) -> None:
    typer.secho(f"error: {message}", fg="red", err=True)
    raise typer.Exit(2)


if __name__ == "__main__":
    app()

"""The `stance` command: a thin layer over the library (the stages call the same functions)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from pipeline.config import PARAMS_FILE, SplitConfig, load_section, write_params

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
    write_params(output, overrides or [])
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
    output: Annotated[Path, typer.Option("-o", "--output", help="sentence-level output file")],
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
    bf16: Annotated[bool | None, typer.Option(
        "--bf16/--no-bf16", help="bfloat16 inference on CPU [score.bf16]")] = None,
    progress: Annotated[bool, typer.Option(help="show a progress bar")] = True,
    verbose: Annotated[bool, typer.Option(
        "--verbose", help="show the model libraries' own progress bars and logs")] = False,
) -> None:
    """Split and label new articles (one row per sentence, optional per-article summary).

    Each row holds the sentence's offsets and text, its stance and claim type, and their class
    probabilities. Skipped inputs are listed at the end and make the exit status 1.
    """
    from pipeline.scoring.cli_support import run_score

    code = run_score(inputs, output, model, fmt, batch_size, summary, overwrite, skip_errors,
                     bf16, progress, verbose)
    raise typer.Exit(code)


if __name__ == "__main__":
    app()

"""Reading and splitting in a reader process, ahead of inference.

pySBD is pure Python and costs about as much per sentence as the bf16 encoder does, so the main
process would otherwise alternate between the two. A forked reader expands the inputs and
splits the articles, sending them in small batches through a bounded queue (memory stays
bounded); the main process only scores. Inputs read from stdin stay in the main process.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import signal
from collections.abc import Iterator

from pipeline.config import SplitConfig
from pipeline.scoring.inputs import Skipped, expand
from pipeline.scoring.scorer import split_documents
from pipeline.text.articles import ArticleSplit

log = logging.getLogger(__name__)
ARTICLES_PER_MESSAGE = 16  # articles pickled together: fewer, larger messages
QUEUE_MESSAGES = 32  # messages in flight at most (bounds the reader's lead, and memory)
POLL_SECONDS = 1.0  # how often a waiting main process checks that the reader is alive


def can_prefetch(inputs: list[str]) -> bool:
    """A reader process needs fork (it inherits the loaded modules) and inputs other than
    stdin (a child process has no stdin)."""
    return "-" not in inputs and "fork" in multiprocessing.get_all_start_methods()


def _reader(inputs: list[str], config: SplitConfig, out) -> None:
    # Ctrl-C reaches the whole process group: the main process handles it and ends the reader.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    skipped: list[Skipped] = []
    batch: list[tuple[str, ArticleSplit]] = []
    try:
        for item in split_documents(expand(inputs, skipped), config, skipped):
            batch.append(item)
            if len(batch) >= ARTICLES_PER_MESSAGE:
                out.put(("splits", batch))
                batch = []
        out.put(("splits", batch))
        out.put(("done", skipped))
    except Exception as error:  # noqa: BLE001 - sent to the main process, which raises it
        out.put(("error", error))


def prefetched_splits(inputs: list[str], config: SplitConfig,
                      skipped: list[Skipped]) -> Iterator[tuple[str, ArticleSplit]]:
    """The same (source, split) stream as `split_documents(expand(inputs, ...))`, produced by
    a reader process; its skipped inputs are appended to `skipped` once it is done, and its
    errors (say, a duplicate article id) are raised here."""
    context = multiprocessing.get_context("fork")
    messages = context.Queue(maxsize=QUEUE_MESSAGES)
    reader = context.Process(target=_reader, args=(inputs, config, messages), daemon=True,
                             name="stance-reader")
    reader.start()
    try:
        while True:
            try:
                kind, payload = messages.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if not reader.is_alive():
                    raise RuntimeError(f"the reader process ended unexpectedly (exit code "
                                       f"{reader.exitcode})") from None
                continue
            if kind == "splits":
                yield from payload
            elif kind == "error":
                raise payload
            else:
                skipped.extend(payload)
                return
    finally:
        if reader.is_alive():
            reader.terminate()
        reader.join()
        messages.close()

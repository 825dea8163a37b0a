"""Model folders and the mid-run SIGTERM check shared by the scoring tests."""

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import LABELS, ROOT, TEXTS


def write_big_corpus(path: Path) -> Path:
    """4,000 JSONL articles (48,000 sentences): far more than a run gets through before the
    tests stop it."""
    with path.open("w", encoding="utf-8") as handle:
        for n in range(4000):
            handle.write(json.dumps({"id": f"a{n}", "text": " ".join(TEXTS)}) + "\n")
    return path


def terminate_mid_run(process: subprocess.Popen, started_writing: Callable[[], bool]) -> str:
    """Wait until `started_writing()` (generous: start-up alone takes tens of seconds on a
    loaded 2-core machine, and the wait ends as soon as output appears), send SIGTERM, and
    return the process's stderr; the process group is killed if it outlives the test."""
    try:
        deadline = time.monotonic() + 180
        while not started_writing():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "scoring did not start writing in time"
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return stderr


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    """A baseline fitted on the hand-written sentences, saved as a model folder."""
    from pipeline.config import BaselineConfig, compose_params, from_dict
    from pipeline.models.baseline import BaselineModel

    folder = tmp_path_factory.mktemp("model")
    config = from_dict(BaselineConfig, compose_params(config_dir=ROOT / "configs")["baseline"])
    BaselineModel(config).fit(TEXTS, LABELS).save(folder)
    return folder


@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory, tiny_encoder_dir):
    """conftest's tiny random BERT, fine-tuned for a few steps and saved as a model folder."""
    from pipeline.config import EncoderConfig, TransformerConfig, compose_params, from_dict
    from pipeline.models.factory import build_transformer

    base = from_dict(TransformerConfig,
                     compose_params(config_dir=ROOT / "configs")["transformer"])
    config = replace(base, epochs=1, batch_size=4, max_length=32, device="cpu")
    folder = tmp_path_factory.mktemp("tiny-model")
    tiny = EncoderConfig("tiny", "path", str(tiny_encoder_dir))
    build_transformer(config, tiny, seed=0).fit(TEXTS, LABELS).save(folder)
    return folder

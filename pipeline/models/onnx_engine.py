"""The transformer's network as an ONNX Runtime session, fp32 or dynamically quantized to int8.

Exported graphs are caches, never model outputs: they live under the stance cache
(`$STANCE_CACHE`, else ~/.cache/stance) in a folder named by a hash of the weights, so a
retrained model gets a fresh export and a model folder (a DVC output) is never written to.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import warnings
from pathlib import Path

import numpy as np
import torch
from torch import nn

from pipeline.models.encoder import encoder_cache

log = logging.getLogger(__name__)
FP32_FILE = "model.onnx"
INT8_FILE = "model.int8.onnx"
OUTPUT_ORDER = "outputs.txt"  # task names, one a line, in the graph's output order


def weights_hash(network: nn.Module) -> str:
    """A short hex digest of every parameter and buffer (names, shapes and bytes)."""
    digest = hashlib.sha256()
    for name, tensor in sorted(network.state_dict().items()):
        digest.update(name.encode())
        digest.update(str(tuple(tensor.shape)).encode())
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()[:20]


class _TaskTuple(nn.Module):
    """The network's per-task logits as a tuple (ONNX outputs are positional)."""

    def __init__(self, network: nn.Module, input_names: list[str], tasks: list[str]):
        super().__init__()
        self.network = network
        self.input_names = input_names
        self.tasks = tasks

    def forward(self, *inputs):
        logits = self.network(**dict(zip(self.input_names, inputs, strict=True)))
        return tuple(logits[task] for task in self.tasks)


def export_graphs(network: nn.Module, example: dict[str, torch.Tensor], target: Path) -> Path:
    """Export `network` (fp32) and its int8 dynamic quantization into `target`, written in a
    temporary folder renamed into place so that an interrupted export leaves nothing behind."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    names = list(example)
    tasks = list(network.heads)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        scratch = Path(scratch)
        dynamic = {name: {0: "batch", 1: "tokens"} for name in names}
        with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
            # The TorchScript exporter warns about tracing shape arithmetic that is dynamic
            # in the exported graph anyway; the warnings say nothing to a user.
            warnings.simplefilter("ignore")
            torch.onnx.export(_TaskTuple(network.eval(), names, tasks),
                              tuple(example[name] for name in names), scratch / FP32_FILE,
                              input_names=names, output_names=tasks, dynamic_axes=dynamic,
                              opset_version=17, dynamo=False)
            root = logging.getLogger()
            level = root.level
            root.setLevel(max(level, logging.WARNING))  # the quantizer logs per tensor at INFO
            try:
                quantize_dynamic(scratch / FP32_FILE, scratch / INT8_FILE,
                                 weight_type=QuantType.QInt8)
            finally:
                root.setLevel(level)
        (scratch / OUTPUT_ORDER).write_text("\n".join(tasks) + "\n", encoding="utf-8")
        if not target.exists():
            scratch.rename(target)
            scratch.mkdir()  # TemporaryDirectory removes the (now empty) name on exit
    return target


def cached_graphs(network: nn.Module, example: dict[str, torch.Tensor],
                  cache: Path | None = None) -> Path:
    """The folder holding this network's exported graphs, exported on first use."""
    folder = (cache or encoder_cache()) / "onnx" / weights_hash(network)
    if (folder / INT8_FILE).is_file() and (folder / OUTPUT_ORDER).is_file():
        log.debug("ONNX graphs from the cache %s", folder)
        return folder
    log.info("exporting the network to ONNX (once per model) into %s", folder)
    return export_graphs(network, example, folder)


class OnnxNetwork:
    """An ONNX Runtime session that answers like the torch network: task -> logits."""

    def __init__(self, folder: Path, quantized: bool, threads: int):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only
        path = folder / (INT8_FILE if quantized else FP32_FILE)
        self.session = onnxruntime.InferenceSession(str(path), options,
                                                    providers=["CPUExecutionProvider"])
        self.tasks = (folder / OUTPUT_ORDER).read_text(encoding="utf-8").split()
        self.input_names = [node.name for node in self.session.get_inputs()]

    def __call__(self, **batch: torch.Tensor) -> dict[str, torch.Tensor]:
        feed = {name: batch[name].cpu().numpy().astype(np.int64) for name in self.input_names}
        outputs = self.session.run(self.tasks, feed)
        return {task: torch.from_numpy(values) for task, values in
                zip(self.tasks, outputs, strict=True)}

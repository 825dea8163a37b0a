"""Training of the joint fine-tuning strategy, apart from the model (as in `transformers` and
setfit): `TrainingArguments` says how to train, `MultiTaskTrainer` trains a `TransformerModel`
on a `datasets.Dataset`. The model owns inference and persistence and never imports this
module; `finetune.FineTunedTransformer` joins the two behind scikit-learn's `fit`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import torch
from datasets import Dataset
from sklearn.utils.class_weight import compute_class_weight
from torch import nn
from tqdm import tqdm
from transformers import get_linear_schedule_with_warmup, set_seed

from pipeline.config import DistillConfig, TransformerConfig
from pipeline.models.encoder import length_sorted_batches, resolve_device
from pipeline.models.runtime import NATIVE_BF16_FLAGS, native_bf16_features
from pipeline.models.transformer import TransformerModel

log = logging.getLogger(__name__)
TEACHER_SUFFIX = "_teacher"  # dataset column of a task's teacher probabilities


@dataclasses.dataclass(frozen=True)
class TrainingArguments:
    """How `MultiTaskTrainer` trains; built from params by `from_config`.

    With `freeze_encoder`, only the heads train, on pooled vectors computed once (in batches
    of `embedding_batch_size`). `precision` "bf16" runs every forward pass under bfloat16
    autocast (weights, gradients and optimizer state stay fp32). When the dataset holds
    teacher probabilities, each task's loss is `hard_weight` * cross-entropy +
    (1 - `hard_weight`) * the distillation loss at `temperature`.
    """

    epochs: int
    batch_size: int
    learning_rate: float  # AdamW peak rate of the encoder
    head_learning_rate: float  # AdamW peak rate of the task heads
    warmup_ratio: float
    weight_decay: float
    class_weighting: bool
    freeze_encoder: bool
    seed: int
    device: str = "auto"
    precision: str = "fp32"
    hard_weight: float = 1.0
    temperature: float = 1.0
    max_grad_norm: float = 1.0
    embedding_batch_size: int = 64

    @classmethod
    def from_config(cls, config: TransformerConfig, seed: int,
                    distill: DistillConfig | None = None) -> TrainingArguments:
        """The arguments of `config`; a student's distillation weights when `distill` is on."""
        distilling = distill is not None and distill.enabled
        return cls(
            epochs=config.epochs, batch_size=config.batch_size,
            learning_rate=config.learning_rate, head_learning_rate=config.head_learning_rate,
            warmup_ratio=config.warmup_ratio, weight_decay=config.weight_decay,
            class_weighting=config.class_weighting, freeze_encoder=config.freeze_encoder,
            seed=seed, device=config.device, precision=config.train_precision,
            hard_weight=distill.hard_weight if distilling else 1.0,
            temperature=distill.temperature if distilling else 1.0,
        )

    def for_teacher(self, distill: DistillConfig) -> TrainingArguments:
        """A distillation teacher's arguments: its own encoder freezing, epochs, head rate
        and precision, hard labels only; the rest as the student's."""
        return dataclasses.replace(
            self, freeze_encoder=distill.teacher_freeze_encoder, epochs=distill.teacher_epochs,
            head_learning_rate=distill.teacher_head_learning_rate,
            precision=distill.teacher_train_precision, hard_weight=1.0, temperature=1.0)


def with_teacher(dataset: Dataset, probabilities: Mapping[str, np.ndarray]) -> Dataset:
    """`dataset` plus a teacher's class probabilities per task (rows as the dataset's)."""
    for task, proba in probabilities.items():
        dataset = dataset.add_column(task + TEACHER_SUFFIX, list(np.asarray(proba)))
    return dataset


def class_weights(indices: np.ndarray, n_classes: int) -> torch.Tensor:
    """scikit-learn's balanced weights (n / (k * count)) over the classes present; an absent
    class gets 1, which never counts, as no target holds it."""
    weights = np.ones(n_classes)
    present = np.unique(indices)
    weights[present] = compute_class_weight("balanced", classes=present, y=indices)
    return torch.tensor(weights, dtype=torch.float32)


def shuffled_length_batches(lengths: np.ndarray, batch_size: int,
                            generator: torch.Generator, pool: int = 32) -> list[np.ndarray]:
    """Random batches of similar-length sentences: shuffle, sort within pools of `pool`
    batches by length, cut into batches, shuffle the batch order. Less padding, so each step
    is cheaper, while every epoch still sees a new order."""
    order = torch.randperm(len(lengths), generator=generator).numpy()
    batches = []
    for start in range(0, len(order), batch_size * pool):
        chunk = order[start:start + batch_size * pool]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches.extend(chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size))
    shuffle = torch.randperm(len(batches), generator=generator).numpy()
    return [batches[i] for i in shuffle]


def distillation_loss(logits: torch.Tensor, teacher_proba: torch.Tensor,
                      temperature: float) -> torch.Tensor:
    """KL(teacher || student) at `temperature` (Hinton et al.), scaled by T^2 so its gradient
    keeps the size of the hard-label loss's as T changes."""
    teacher = torch.softmax(torch.log(teacher_proba.clamp(min=1e-8)) / temperature, dim=-1)
    student = torch.log_softmax(logits / temperature, dim=-1)
    return nn.functional.kl_div(student, teacher, reduction="batchmean") * temperature ** 2


class MultiTaskTrainer:
    """Fine-tunes `model.network` on both tasks at once.

    `train_dataset` comes from `data.multitask_dataset` (optionally `with_teacher`). The loss is
    the sum over tasks of (optionally class-weighted) cross-entropy, plus the distillation
    term when the dataset holds teacher probabilities. Shuffling and dropout are seeded from
    `args.seed` (`transformers.set_seed`), so the same arguments give the same weights on CPU.
    `on_step` receives {"epoch", "step", "loss", "learning_rate"} after every step.
    """

    def __init__(self, model: TransformerModel, args: TrainingArguments, train_dataset: Dataset,
                 on_step: Callable[[dict], None] | None = None):
        self.model = model
        self.args = args
        self.train_dataset = train_dataset
        self.on_step = on_step
        self.device = resolve_device(args.device)

    def _autocast(self) -> torch.autocast:
        """bf16 autocast for forward passes when `args.precision` asks for it, else a no-op."""
        return torch.autocast(self.device.type, dtype=torch.bfloat16,
                              enabled=self.args.precision == "bf16")

    def train(self) -> list[float]:
        """Train in place; return the mean loss of each epoch."""
        args, model = self.args, self.model
        set_seed(args.seed)
        model.to(self.device)
        if args.precision == "bf16":
            log.info("training with bf16 autocast on %s", self.device)
            if self.device.type == "cpu" and not native_bf16_features():
                log.warning("this CPU has no native bf16 (%s): bf16 training is emulated "
                            "and slower than fp32", " or ".join(NATIVE_BF16_FLAGS))
        network = model.network.train()
        data = self.train_dataset.with_format("numpy")
        texts = list(data["text"])
        distilling = model.tasks[0] + TEACHER_SUFFIX in data.column_names
        # A frozen encoder gives the same pooled vector every epoch: compute it once, then
        # train only the heads on the cached vectors (a stronger encoder then costs one pass).
        cached = self._embed_all(texts) if args.freeze_encoder else None
        trained = network.heads if args.freeze_encoder else network
        losses = {
            task: nn.CrossEntropyLoss(
                weight=(class_weights(data[task], len(model.classes(task)))
                        if args.class_weighting else None)
            ).to(self.device)
            for task in model.tasks
        }
        total_steps = int(np.ceil(len(texts) / args.batch_size)) * args.epochs
        # Fresh heads learn at their own, higher rate: at the encoder's rate they barely move
        # in the few hundred steps a small data set gives.
        groups = [{"params": network.heads.parameters(), "lr": args.head_learning_rate}]
        if not args.freeze_encoder:
            groups.append({"params": network.encoder.parameters(), "lr": args.learning_rate})
        optimizer = torch.optim.AdamW(groups, weight_decay=args.weight_decay)
        schedule = get_linear_schedule_with_warmup(
            optimizer, int(args.warmup_ratio * total_steps), total_steps)
        generator = torch.Generator().manual_seed(args.seed)
        lengths = np.array([len(text) for text in texts])
        epoch_losses: list[float] = []
        step = 0
        progress = tqdm(total=total_steps, desc="train", unit="step")
        for epoch in range(1, args.epochs + 1):
            running = []
            for index in shuffled_length_batches(lengths, args.batch_size, generator):
                batch = data[index]
                with self._autocast():
                    if cached is None:
                        logits = network(**model.encode_batch(list(batch["text"])))
                    else:
                        logits = network.classify(cached[torch.as_tensor(index)])
                    loss = self._loss(logits, batch, losses, distilling)
                optimizer.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(trained.parameters(), args.max_grad_norm)
                optimizer.step()
                schedule.step()
                step += 1
                running.append(loss.item())
                progress.update(1)
                progress.set_postfix(epoch=epoch, loss=f"{running[-1]:.4f}")
                if self.on_step is not None:
                    self.on_step({"epoch": epoch, "step": step, "loss": running[-1],
                                  "learning_rate": schedule.get_last_lr()[0]})
            epoch_losses.append(float(np.mean(running)))
            log.info("epoch %d/%d: mean loss %.4f", epoch, args.epochs, epoch_losses[-1])
        progress.close()
        network.eval()
        return epoch_losses

    def _loss(self, logits: dict[str, torch.Tensor], batch: dict, losses: dict,
              distilling: bool) -> torch.Tensor:
        args = self.args
        loss = sum(
            args.hard_weight * losses[task](
                logits[task], torch.as_tensor(batch[task], device=self.device))
            for task in self.model.tasks
        )
        if distilling:
            loss = loss + (1 - args.hard_weight) * sum(
                distillation_loss(logits[task], torch.as_tensor(
                    batch[task + TEACHER_SUFFIX], dtype=torch.float32, device=self.device),
                    args.temperature)
                for task in self.model.tasks)
        return loss

    @torch.inference_mode()
    def _embed_all(self, texts: Sequence[str]) -> torch.Tensor:
        """Pooled encoder vectors of every text, in order, with the encoder in eval mode."""
        network = self.model.network
        network.encoder.eval()
        out = torch.zeros(len(texts), network.encoder.config.hidden_size, device=self.device)
        for index in length_sorted_batches(texts, self.args.embedding_batch_size):
            with self._autocast():
                vectors = network.embed(**self.model.encode_batch([texts[i] for i in index]))
            out[torch.as_tensor(index)] = vectors.float()
        return out.clone()  # a normal tensor, usable outside inference mode

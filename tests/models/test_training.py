"""The trainer apart from the model: arguments from params, seeding, class weights, the frozen
encoder and distillation, on the tiny random BERT."""

import ast
from dataclasses import FrozenInstanceError, replace

import numpy as np
import pytest
import torch
from sklearn.utils.class_weight import compute_class_weight

from pipeline.config import DistillConfig, EncoderConfig
from pipeline.labels import TASKS
from pipeline.models.data import multitask_dataset
from pipeline.models.factory import build_transformer
from pipeline.models.training import (
    TEACHER_SUFFIX,
    MultiTaskTrainer,
    TrainingArguments,
    class_weights,
    distillation_loss,
    with_teacher,
)
from pipeline.models.transformer import TransformerModel
from tests.conftest import LABELS, ROOT, TEXTS


def fresh_model(config, encoder_dir, seed=0) -> TransformerModel:
    return TransformerModel.from_pretrained(config, encoder_dir, seed)


def tiny_dataset():
    return multitask_dataset(TEXTS, LABELS, TASKS)


def train(config, encoder_dir, seed=0, args=None):
    model = fresh_model(config, encoder_dir, seed)
    args = args or TrainingArguments.from_config(config, seed)
    return model, MultiTaskTrainer(model, args, tiny_dataset()).train()


def test_arguments_come_from_the_transformer_config(tiny_transformer_config):
    config = replace(tiny_transformer_config, epochs=7, learning_rate=3e-5, warmup_ratio=0.2,
                     class_weighting=False, freeze_encoder=True)
    args = TrainingArguments.from_config(config, seed=11)
    assert (args.epochs, args.batch_size, args.learning_rate, args.head_learning_rate) == (
        7, config.batch_size, 3e-5, config.head_learning_rate)
    assert (args.warmup_ratio, args.weight_decay, args.class_weighting, args.freeze_encoder) == (
        0.2, config.weight_decay, False, True)
    assert (args.seed, args.device) == (11, "cpu")
    assert (args.hard_weight, args.temperature) == (1.0, 1.0)  # no distillation
    with pytest.raises(FrozenInstanceError):
        args.epochs = 1


def test_distillation_sets_the_student_and_teacher_arguments(tiny_transformer_config):
    tiny = EncoderConfig("tiny", "path", "unused")
    distill = DistillConfig(enabled=True, teacher_encoder=tiny, teacher_freeze_encoder=True,
                            teacher_epochs=5, teacher_head_learning_rate=1e-2,
                            teacher_train_precision="bf16", hard_weight=0.25, temperature=3.0)
    student = TrainingArguments.from_config(tiny_transformer_config, 0, distill)
    assert (student.hard_weight, student.temperature, student.freeze_encoder) == (0.25, 3.0, False)
    assert student.precision == "fp32"
    teacher = student.for_teacher(distill)
    assert (teacher.freeze_encoder, teacher.epochs, teacher.head_learning_rate) == (True, 5, 1e-2)
    assert (teacher.hard_weight, teacher.temperature, teacher.precision) == (1.0, 1.0, "bf16")
    fine_tuned = student.for_teacher(replace(distill, teacher_freeze_encoder=False))
    assert not fine_tuned.freeze_encoder
    off = TrainingArguments.from_config(tiny_transformer_config, 0,
                                        replace(distill, enabled=False))
    assert (off.hard_weight, off.temperature) == (1.0, 1.0)


def test_class_weights_are_sklearns_balanced_weights():
    y = np.array([0, 0, 0, 1, 2, 2, 0, 1])
    expected = compute_class_weight("balanced", classes=np.arange(3), y=y)
    np.testing.assert_array_equal(class_weights(y, 3).numpy(), expected.astype(np.float32))
    # A class absent from training gets 1 (no target holds it, so it never counts); the
    # others are sklearn's weights over the classes present.
    y = np.array([0, 0, 2, 2, 2, 3])
    weights = class_weights(y, 4).numpy()
    assert weights[1] == 1.0
    np.testing.assert_array_equal(
        weights[[0, 2, 3]],
        compute_class_weight("balanced", classes=np.array([0, 2, 3]), y=y).astype(np.float32))


def test_the_dataset_holds_class_indices_and_refuses_unknown_labels():
    dataset = tiny_dataset()
    assert dataset["text"] == TEXTS
    assert [TASKS["stance"][i] for i in dataset["stance"]] == LABELS["stance"]
    bad = {**LABELS, "stance": ["sceptical", *LABELS["stance"][1:]]}
    with pytest.raises(ValueError, match=r"stance: unknown labels \['sceptical'\]"):
        multitask_dataset(TEXTS, bad, TASKS)
    proba = {task: np.full((len(TEXTS), len(names)), 1 / len(names))
             for task, names in TASKS.items()}
    taught = with_teacher(dataset, proba)
    np.testing.assert_allclose(taught["stance" + TEACHER_SUFFIX], proba["stance"])


def test_the_same_seed_gives_the_same_losses_and_weights_whatever_ran_before(
        tiny_transformer_config, tiny_encoder_dir):
    def run(seed: int, noise: int):
        model = fresh_model(tiny_transformer_config, tiny_encoder_dir, seed=3)
        torch.manual_seed(noise)  # the trainer must reseed what shuffling and dropout draw from
        args = TrainingArguments.from_config(tiny_transformer_config, seed)
        return model, MultiTaskTrainer(model, args, tiny_dataset()).train()

    first, first_losses = run(seed=3, noise=1)
    second, second_losses = run(seed=3, noise=2)
    assert first_losses == second_losses
    for name, tensor in first.network.state_dict().items():
        assert torch.equal(tensor, second.network.state_dict()[name]), name
    _, other_losses = run(seed=4, noise=1)
    assert other_losses != first_losses


def test_each_fit_starts_from_a_fresh_model(tiny_transformer):
    model = tiny_transformer()
    first = model.fit(TEXTS, LABELS).predict_proba_all(TEXTS)
    first_losses = model.epoch_losses_
    second = model.fit(TEXTS, LABELS).predict_proba_all(TEXTS)
    assert model.epoch_losses_ == first_losses
    for task in first:
        np.testing.assert_array_equal(first[task], second[task])


def test_a_frozen_encoder_keeps_its_weights_and_the_heads_learn(tiny_transformer_config,
                                                                tiny_encoder_dir):
    config = replace(tiny_transformer_config, freeze_encoder=True, epochs=20)
    untrained = fresh_model(config, tiny_encoder_dir)
    model, losses = train(config, tiny_encoder_dir)
    encoder, heads = model.network.encoder.state_dict(), model.network.heads.state_dict()
    assert all(torch.equal(v, encoder[k])
               for k, v in untrained.network.encoder.state_dict().items())
    assert not all(torch.equal(v, heads[k])
                   for k, v in untrained.network.heads.state_dict().items())
    assert losses[-1] < losses[0]


def test_distillation_loss_vanishes_only_when_the_student_matches_the_teacher():
    teacher = torch.tensor([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    for temperature in (1.0, 2.0):
        assert distillation_loss(torch.log(teacher), teacher, temperature).item() \
            == pytest.approx(0, abs=1e-6)
        assert distillation_loss(torch.zeros(2, 3), teacher, temperature).item() > 0.01


def fit_student_keeping_teachers(config, encoder_dir, **distill_settings):
    """Fit a distilled student on the tiny BERT; return it and the teachers it built."""
    tiny = EncoderConfig("tiny", "path", str(encoder_dir))
    distill = DistillConfig(enabled=True, teacher_encoder=tiny, teacher_head_learning_rate=1e-2,
                            temperature=2.0, **distill_settings)
    student = build_transformer(config, tiny, seed=0, distill=distill)
    teachers = []
    make_teacher = student.make_teacher
    student.make_teacher = lambda: teachers.append(make_teacher()) or teachers[-1]
    student.fit(TEXTS, LABELS)
    return student, teachers


def test_a_distilled_student_fits_its_teacher_first(tiny_encoder_dir, tiny_transformer_config):
    student, teachers = fit_student_keeping_teachers(
        tiny_transformer_config, tiny_encoder_dir, teacher_freeze_encoder=True,
        teacher_epochs=5, teacher_train_precision="fp32", hard_weight=0.0)
    assert len(teachers) == 1
    assert teachers[0].args.freeze_encoder and len(teachers[0].epoch_losses_) == 5
    assert student.epoch_losses_[-1] < student.epoch_losses_[0]
    probabilities = student.predict_proba_all(TEXTS)
    assert all(np.allclose(p.sum(axis=1), 1) for p in probabilities.values())


def test_with_only_soft_targets_the_student_moves_towards_its_teacher(tiny_transformer_config,
                                                                      tiny_encoder_dir):
    # A teacher sure of one class for every sentence, and no weight on the hard labels: the
    # student's probability of that class must rise.
    teacher = {task: np.tile(np.eye(len(names))[0], (len(TEXTS), 1))
               for task, names in TASKS.items()}
    args = replace(TrainingArguments.from_config(tiny_transformer_config, 0), hard_weight=0.0,
                   temperature=1.0, epochs=5, head_learning_rate=1e-2)
    model = fresh_model(tiny_transformer_config, tiny_encoder_dir)
    before = model.predict_proba_all(TEXTS)
    MultiTaskTrainer(model, args, with_teacher(tiny_dataset(), teacher)).train()
    after = model.predict_proba_all(TEXTS)
    for task in TASKS:
        assert after[task][:, 0].mean() > before[task][:, 0].mean() + 0.1


@pytest.mark.parametrize("model_module", ["transformer", "setfit_model"])
def test_a_model_never_imports_its_trainer(model_module):
    tree = ast.parse((ROOT / "pipeline" / "models" / f"{model_module}.py").read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
    trainers = {"pipeline.models.training", "pipeline.models.setfit_training",
                "pipeline.models.finetune", "pipeline.models.estimator", "setfit"}
    assert not imported & trainers


def linear_dtypes_seen(model: TransformerModel) -> list[torch.dtype]:
    """Record the output dtype of every Linear layer's forward pass from now on."""
    seen = []
    for module in model.network.modules():
        if isinstance(module, torch.nn.Linear):
            module.register_forward_hook(lambda _m, _i, output: seen.append(output.dtype))
    return seen


@pytest.mark.parametrize(("precision", "dtype"), [("fp32", torch.float32),
                                                  ("bf16", torch.bfloat16)])
def test_train_precision_sets_the_forward_arithmetic_and_keeps_fp32_weights(
        tiny_transformer_config, tiny_encoder_dir, precision, dtype):
    config = replace(tiny_transformer_config, train_precision=precision)
    args = TrainingArguments.from_config(config, seed=0)
    assert args.precision == precision
    model = fresh_model(config, tiny_encoder_dir)
    seen = linear_dtypes_seen(model)
    losses = MultiTaskTrainer(model, args, tiny_dataset()).train()
    assert seen and set(seen) == {dtype}
    assert all(p.dtype == torch.float32 for p in model.network.parameters())
    assert losses[-1] < losses[0]
    # Prediction after training is fp32 whatever the training arithmetic.
    seen.clear()
    model.predict_proba_all(TEXTS[:2])
    assert set(seen) == {torch.float32}


def test_a_fine_tuned_teacher_trains_its_encoder(tiny_encoder_dir, tiny_transformer_config):
    _, (teacher,) = fit_student_keeping_teachers(
        tiny_transformer_config, tiny_encoder_dir, teacher_freeze_encoder=False,
        teacher_epochs=2, teacher_train_precision="bf16", hard_weight=0.5)
    assert not teacher.args.freeze_encoder and teacher.args.precision == "bf16"
    untrained = fresh_model(tiny_transformer_config, tiny_encoder_dir)
    assert not all(torch.equal(v, untrained.network.encoder.state_dict()[k])
                   for k, v in teacher.model_.network.encoder.state_dict().items())
    assert len(teacher.epoch_losses_) == 2

"""`stance import-labels` on a hand-written Label Studio export: contract checks, conflicts
with gold reported and never overwritten, and who labeled what kept."""

import json

from typer.testing import CliRunner

from pipeline.annotation.label_studio import read_export
from pipeline.cli import app


def annotation(annotator, stance, claim_type, attributed, cancelled=False):
    return {"id": hash((annotator, stance)) % 1000, "completed_by": {"id": 1, "email": annotator},
            "was_cancelled": cancelled, "created_at": "2026-12-01T10:00:00Z",
            "result": [
                {"from_name": "stance", "to_name": "text", "type": "choices",
                 "value": {"choices": [stance]}},
                {"from_name": "claim_type", "to_name": "text", "type": "choices",
                 "value": {"choices": [claim_type]}},
                {"from_name": "attributed", "to_name": "text", "type": "choices",
                 "value": {"choices": [attributed]}},
            ]}


def task(sentence_id, text, *annotations):
    return {"id": int(sentence_id[-1]), "data": {"sentence_id": sentence_id, "article_id": "art",
                                                 "text": text},
            "annotations": list(annotations)}


EXPORT = [
    # New, two annotators agree.
    task("s1", "Oslo pledged two frigates.", annotation("ana@example.org", "optimistic",
                                                        "fact", "false"),
         annotation("ben@example.org", "optimistic", "fact", "false")),
    # Conflicts with existing gold.
    task("s2", "Warsaw rules out soldiers.", annotation("ana@example.org", "neutral", "policy",
                                                        "false")),
    # Same as existing gold.
    task("s3", "The summit ends on Friday.", annotation("ben@example.org", "neutral", "fact",
                                                        "false")),
    # Breaks the contract: a non-claim cannot take a side.
    task("s4", "By Jane Doe", annotation("ana@example.org", "skeptical", "non_claim", "false")),
    # Two annotators disagree.
    task("s5", "Rome has not decided.", annotation("ana@example.org", "skeptical", "fact",
                                                   "false"),
         annotation("ben@example.org", "neutral", "fact", "false")),
    # Cancelled.
    task("s6", "Read more", annotation("ben@example.org", "neutral", "non_claim", "false",
                                       cancelled=True)),
]
GOLD = [
    {"sentence_id": "s2", "article_id": "art", "text": "Warsaw rules out soldiers.",
     "stance": "skeptical", "claim_type": "policy", "attributed": False, "disputed": False,
     "note": ""},
    {"sentence_id": "s3", "article_id": "art", "text": "The summit ends on Friday.",
     "stance": "neutral", "claim_type": "fact", "attributed": False, "disputed": False,
     "note": ""},
]


def write(tmp_path):
    export = tmp_path / "export.json"
    export.write_text(json.dumps(EXPORT), encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in GOLD), encoding="utf-8")
    return export, gold


def test_read_export_sorts_every_annotation(tmp_path):
    export, _ = write(tmp_path)
    result = read_export(export)
    assert [r["sentence_id"] for r in result.records] == ["s1", "s2", "s3"]
    assert result.records[0]["annotators"] == ["ana@example.org", "ben@example.org"]
    assert result.records[0]["attributed"] is False
    assert [i["sentence_id"] for i in result.invalid] == ["s4"]
    assert "non_claim" in result.invalid[0]["reason"]
    assert [d["sentence_id"] for d in result.disagreements] == ["s5"]
    assert [s["sentence_id"] for s in result.skipped] == ["s6"]


def test_import_adds_new_labels_and_never_overwrites_gold(tmp_path):
    export, gold = write(tmp_path)
    result = CliRunner().invoke(app, ["import-labels", str(export), "--gold", str(gold)])
    assert result.exit_code == 1  # conflicts and invalid labels need a person
    assert "added 1 new labels" in result.output
    assert "conflict with gold on s2" in result.output
    records = [json.loads(line) for line in gold.read_text().splitlines()]
    assert [r["sentence_id"] for r in records] == ["s2", "s3", "s1"]
    assert records[0]["stance"] == "skeptical"  # untouched
    assert records[2]["annotators"] == ["ana@example.org", "ben@example.org"]
    assert records[2]["imported_from"] == "export.json"
    conflicts = [json.loads(line) for line in
                 (tmp_path / "conflicts.jsonl").read_text().splitlines()]
    assert {(c["sentence_id"], c["kind"]) for c in conflicts} == {
        ("s2", "gold_conflict"), ("s5", "annotator_disagreement")}


def test_dry_run_writes_nothing_and_bad_files_are_named(tmp_path):
    export, gold = write(tmp_path)
    before = gold.read_text()
    result = CliRunner().invoke(app, ["import-labels", str(export), "--gold", str(gold),
                                      "--dry-run"])
    assert "would add 1 new labels" in result.output
    assert gold.read_text() == before and not (tmp_path / "conflicts.jsonl").exists()
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(app, ["import-labels", str(broken), "--gold", str(gold)])
    assert result.exit_code == 2 and "broken.json" in result.output
    assert "Traceback" not in result.output

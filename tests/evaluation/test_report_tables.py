"""Markdown tables: the one writer behind evaluation.md and labeling.md."""

from pipeline.evaluation.report import markdown_table
from pipeline.labeling.combine import report_markdown


def test_table_has_a_rule_as_wide_as_the_header_and_escapes_pipes():
    lines = markdown_table(["text", "score"], [["a | b", 0.5], ["c", "1.00"]])
    assert lines == ["| text | score |", "|---|---|", "| a \\| b | 0.5 |", "| c | 1.00 |"]


def test_labeling_report_tables_use_it():
    report = {"sentences": 3, "gold": 2, "weak": 1, "tasks": {"stance": {
        "labeling_functions": [{"name": "lf_x", "coverage": 0.5, "overlaps": 0.25,
                                "conflicts": 0.0, "empirical_accuracy": None,
                                "corpus_coverage": 0.125}],
        "label_model_on_gold": {"leave_one_article_out": {"accuracy": 0.5, "macro_f1": 0.25}},
    }}}
    text = report_markdown(report)
    assert "| `lf_x` | 0.50 | 0.25 | 0.00 | n/a | 0.12 |" in text
    assert "| leave one article out | 0.500 | 0.250 |" in text

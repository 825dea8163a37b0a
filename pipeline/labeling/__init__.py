"""Human and weak labels, in Snorkel's four steps.

`functions` defines the labeling functions, `apply` turns them into a label matrix, `analysis`
measures them (coverage, overlaps, conflicts, empirical accuracy), and `label_model` combines
them. `datasets` loads and validates the human labels (gold) and the synthetic training data.
"""

"""The annotation loop: pick the sentences worth labeling next, and bring labels back."""

"""Streaming batch scoring of new articles, shared by `stance score` and the benchmark."""

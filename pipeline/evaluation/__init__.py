"""Honest evaluation: leave-one-article-out folds on gold, metrics with bootstrap intervals,
plots and the markdown report."""

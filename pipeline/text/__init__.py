"""Text handling shared by the `split` stage and `stance score`: reading, splitting, ids."""

"""Stage 5 of the pipeline: apply the rules' fixes as text edits, atomically."""

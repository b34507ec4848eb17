"""Stage 2 of the pipeline: read files and turn them into parseable source units."""

"""Stage 4 of the pipeline: the rules. One module per rule; ``builtin.BUILTIN_RULES`` lists them."""

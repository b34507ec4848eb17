# corpus: NG001
# An sdist unpacked into a folder named with its version: the code imports itself as `speechkit`.

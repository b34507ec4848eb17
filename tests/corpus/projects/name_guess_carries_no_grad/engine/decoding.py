# corpus: NG002
# Decoding helpers: `values.sample(...)` is a pandas call, not the project's `sample` method.
import pandas as pd


def fill_unknown(values, codes, count):
    choices = pd.Series([c for c in codes if c != "<unk>"])
    return values.where(values != "<unk>", choices.sample(count, replace=True, ignore_index=True))

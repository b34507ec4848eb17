# corpus: NG001
# The command line: nothing a rule looks for, so it is read as text; `pipeline.export(...)` is a
# method call, not a call of exporting.export.
import sys

from speechkit.pipeline import Pipeline


def main(argv):
    pipeline = Pipeline(int(argv[1]))
    pipeline.export(argv[2:], "out")


if __name__ == "__main__":
    main(sys.argv)

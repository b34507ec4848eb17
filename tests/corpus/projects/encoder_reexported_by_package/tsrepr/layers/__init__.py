from .encoder import SeriesEncoder

__all__ = ["SeriesEncoder"]

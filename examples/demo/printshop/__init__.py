"""printshop: a tiny print shop that prices, queues, rasterises and spools print jobs."""

__version__ = "0.3.0"

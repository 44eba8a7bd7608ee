"""ansheng: turn safety-production plans into checked, rendered task tables."""

__version__ = "0.1.0"

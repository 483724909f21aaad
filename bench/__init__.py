"""Benchmarks: `python -m bench [names]` (see bench/common.py)."""

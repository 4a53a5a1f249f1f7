"""Benchmarks run by `make bench`: measured, reported, never asserted."""

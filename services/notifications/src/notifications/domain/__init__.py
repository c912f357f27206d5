"""The notifications domain: templates, rendering, channel choice and delivery state.

Standard library only: no I/O, no clock, no randomness. Time, ids and jitter are passed in.
"""

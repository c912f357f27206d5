"""Payments domain: pure rules over dates and integer pence. Standard library only, no I/O."""

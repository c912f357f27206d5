"""Data: dated, cited rates payments applies (read by payments.adapters.rates)."""

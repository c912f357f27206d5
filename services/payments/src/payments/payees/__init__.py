"""Data: the bank details of the providers the scheme pays (read by adapters/provider_payees)."""

"""Data: bank-holiday calendars, read by payments.adapters.calendar."""

"""Data: bank-holiday calendars, loaded by payments.calendar_loader."""

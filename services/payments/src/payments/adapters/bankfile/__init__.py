"""ISO 20022 bank files: pain.001 credit transfers out, pain.002 (or CSV) status reports in."""

"""What payments keeps encrypted at rest (servicekit.crypto), each value bound to its row.

Bank details: the account number and sort code (together they are the account money is paid
into, what a fraudster needs) and the payee's name (the only name payments holds, so with it
sealed a copy of the database names no one). The stored pain.001 files hold all three for
every payment, so they are sealed whole. Nothing is looked up by these values.
"""

from servicekit.crypto import SealedColumn

PAYEE_NAME = SealedColumn("bank_accounts", "payee_name", key="person_id")
SORT_CODE = SealedColumn("bank_accounts", "sort_code", key="person_id")
ACCOUNT_NUMBER = SealedColumn("bank_accounts", "account_number", key="person_id")
BANK_FILE = SealedColumn("bank_files", "content", key="file_id")
SEALED = (PAYEE_NAME, SORT_CODE, ACCOUNT_NUMBER, BANK_FILE)

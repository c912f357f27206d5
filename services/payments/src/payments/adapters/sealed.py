"""What payments keeps encrypted at rest (servicekit.crypto), each value bound to its row.

Bank details: the account number and sort code (together they are the account money is paid
into, what a fraudster needs) and the payee's name (the only name payments holds, so with it
sealed a copy of the database names no one). Providers' bank details are sealed the same way:
a care provider may be a sole trader (their account is a person's), and a provider's account
swapped in the database is the mandate fraud the call-back checks exist to stop. The stored
pain.001 files hold all of these for every payment, so they are sealed whole. Every past change
of a person's details (bank_account_changes) is sealed as the current details are. Nothing is
looked up by these values.
"""

from servicekit.crypto import SealedColumn

PAYEE_NAME = SealedColumn("bank_accounts", "payee_name", key="person_id")
SORT_CODE = SealedColumn("bank_accounts", "sort_code", key="person_id")
ACCOUNT_NUMBER = SealedColumn("bank_accounts", "account_number", key="person_id")
CHANGE_PAYEE_NAME = SealedColumn("bank_account_changes", "payee_name", key="change_id")
CHANGE_SORT_CODE = SealedColumn("bank_account_changes", "sort_code", key="change_id")
CHANGE_ACCOUNT_NUMBER = SealedColumn("bank_account_changes", "account_number", key="change_id")
PROVIDER_ACCOUNT_NAME = SealedColumn("provider_bank_accounts", "account_name", key="payee_ref")
PROVIDER_SORT_CODE = SealedColumn("provider_bank_accounts", "sort_code", key="payee_ref")
PROVIDER_ACCOUNT_NUMBER = SealedColumn("provider_bank_accounts", "account_number", key="payee_ref")
BANK_FILE = SealedColumn("bank_files", "content", key="file_id")
PROVIDER_BANK_DETAILS = (PROVIDER_ACCOUNT_NAME, PROVIDER_SORT_CODE, PROVIDER_ACCOUNT_NUMBER)
CHANGES = (CHANGE_PAYEE_NAME, CHANGE_SORT_CODE, CHANGE_ACCOUNT_NUMBER)
SEALED = (PAYEE_NAME, SORT_CODE, ACCOUNT_NUMBER, *CHANGES, *PROVIDER_BANK_DETAILS, BANK_FILE)

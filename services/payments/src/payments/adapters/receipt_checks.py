"""The reconciliation's checks on contribution invoices and the money received against them
(adapters/ledger_store.py runs them with the others). Each returns the rows that break it."""

CHECKS: dict[str, tuple[str, str]] = {
    "invoices_match_their_contributions": (
        "per person, the billed receivable = what their bills still ask for; each bill is for"
        " its whole contribution",
        """
        WITH l AS (SELECT person_id, sum(debit_pence - credit_pence) AS owed FROM ledger_postings
                    WHERE account LIKE 'contribution_receivable:%:invoiced' GROUP BY person_id),
             b AS (SELECT i.person_id, sum(c.outstanding_pence) AS owed,
                          count(*) FILTER (WHERE i.amount_pence <> c.amount_pence) AS wrong
                     FROM contribution_invoices i JOIN contributions c USING (contribution_id)
                    GROUP BY i.person_id)
        SELECT person_id, coalesce(l.owed, 0) AS ledger, coalesce(b.owed, 0) AS bills,
               coalesce(b.wrong, 0) AS bills_not_for_their_contribution
          FROM l FULL JOIN b USING (person_id)
         WHERE coalesce(l.owed, 0) <> coalesce(b.owed, 0) OR coalesce(b.wrong, 0) > 0
         LIMIT 20""",
    ),
    "money_received_matches_the_ledger": (
        "money received = the credits recorded; unmatched money = the credits no bill matched",
        """
        SELECT l.received AS ledger_received, r.received, l.unmatched AS ledger_unmatched,
               r.unmatched FROM
          (SELECT coalesce(sum(debit_pence - credit_pence)
                      FILTER (WHERE account = 'bank_receipts'), 0) AS received,
                  coalesce(sum(credit_pence - debit_pence)
                      FILTER (WHERE account = 'unmatched_receipts'), 0) AS unmatched
             FROM ledger_postings
            WHERE account IN ('bank_receipts', 'unmatched_receipts')) l,
          (SELECT coalesce(sum(amount_pence), 0) AS received,
                  coalesce(sum(amount_pence) FILTER (WHERE status = 'unmatched'), 0) AS unmatched
             FROM incoming_payments) r
         WHERE l.received <> r.received OR l.unmatched <> r.unmatched""",
    ),
    "credits_match_money_received": (
        "per person, the credit held = what they paid over their bills",
        """
        WITH l AS (SELECT person_id, sum(credit_pence - debit_pence) AS credit
                     FROM ledger_postings WHERE account LIKE 'contribution_credit:%'
                    GROUP BY person_id),
             r AS (SELECT person_id, sum(credit_pence) AS credit FROM incoming_payments
                    WHERE credit_pence > 0 GROUP BY person_id)
        SELECT person_id, coalesce(l.credit, 0) AS ledger, coalesce(r.credit, 0) AS received
          FROM l FULL JOIN r USING (person_id)
         WHERE coalesce(l.credit, 0) <> coalesce(r.credit, 0) LIMIT 20""",
    ),
}

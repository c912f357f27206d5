-- The date of claim, when a claim made earlier (by telephone or post) is recorded later: a new
-- claim is decided from it (UC Regs reg 21(5)). NULL: decided from the day it is decided.
ALTER TABLE cases ADD COLUMN claimed_on date;

-- When the person first opened an inbox message in the portal (unread while NULL).
ALTER TABLE messages ADD COLUMN read_at timestamptz;

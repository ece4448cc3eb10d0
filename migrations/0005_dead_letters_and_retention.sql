-- Saga steps whose alarm retries ran out: kept for a person to settle, counted in metrics, raised as an alert.
CREATE TABLE saga_dead_letters (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id   TEXT NOT NULL,
  saga_id     TEXT NOT NULL, -- the saga's composite uid
  step        TEXT NOT NULL, -- compensate | cancel | reschedule | store_change | mark_failed | check_stored | notify_replaced | alarm
  attempts    INTEGER NOT NULL,
  last_error  TEXT NOT NULL,
  at_ms       INTEGER NOT NULL, -- epoch ms when the retries gave up
  UNIQUE (saga_id, step)
);

CREATE INDEX saga_dead_letters_by_tenant_time ON saga_dead_letters (tenant_id, at_ms);

-- GDPR storage limitation: when the customer's name, phone and e-mail were removed (retention job or erasure).
ALTER TABLE appointments ADD COLUMN anonymised_at TEXT;

CREATE INDEX appointments_by_end ON appointments (end_utc);

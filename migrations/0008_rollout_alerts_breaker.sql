-- Issue 14: the parallel-booking canary per salon, its history, alert states for the webhook, the Cal.com
-- circuit breaker as last seen, and Cal.com calls attributed to a booking mode (cohort error rates).

-- The share of calls booked in parallel, per salon; no row = the PARALLEL_BOOKING default (true = 100, false = 0).
CREATE TABLE rollout_settings (
  tenant_id         TEXT PRIMARY KEY,
  parallel_percent  INTEGER NOT NULL CHECK (parallel_percent BETWEEN 0 AND 100),
  updated_at_ms     INTEGER NOT NULL,
  updated_by        TEXT NOT NULL -- admin | cron:auto-rollback
);

-- Who changed a salon's rollout, when, from what to what, and why.
CREATE TABLE rollout_history (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id       TEXT NOT NULL,
  at_ms           INTEGER NOT NULL,
  from_percent    INTEGER NOT NULL,
  to_percent      INTEGER NOT NULL,
  actor           TEXT NOT NULL, -- admin | cron:auto-rollback
  reason          TEXT NOT NULL
);

CREATE INDEX rollout_history_by_tenant_time ON rollout_history (tenant_id, at_ms);

-- The alert state last told to ALERT_WEBHOOK_URL, per salon and alert: a message goes out only on a change.
CREATE TABLE alert_states (
  tenant_id           TEXT NOT NULL,
  alert               TEXT NOT NULL,
  state               TEXT NOT NULL,    -- firing | ok: what the cron last evaluated
  since_ms            INTEGER NOT NULL, -- when it entered that state
  notified_state      TEXT,             -- what the webhook last acknowledged; NULL never told
  delivery_failures   INTEGER NOT NULL DEFAULT 0, -- failed POSTs (each retry counts) over the row's life
  PRIMARY KEY (tenant_id, alert)
);

-- The Cal.com circuit breaker per API key (by a fingerprint, never the key), as its isolates last reported it.
CREATE TABLE calcom_circuit (
  key_fingerprint   TEXT PRIMARY KEY,
  state             TEXT NOT NULL, -- closed | open | half_open
  failures          INTEGER NOT NULL,
  changed_at_ms     INTEGER NOT NULL,
  opened_count      INTEGER NOT NULL DEFAULT 0
);

-- Cal.com calls gain the booking mode of the saga that made them ('' for reads and background work).
CREATE TABLE calcom_calls_by_mode (
  tenant_id   TEXT NOT NULL,
  minute_ms   INTEGER NOT NULL,
  endpoint    TEXT NOT NULL,
  status      INTEGER NOT NULL,
  outcome     TEXT NOT NULL,
  mode        TEXT NOT NULL DEFAULT '',
  count       INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, minute_ms, endpoint, status, outcome, mode)
);
INSERT INTO calcom_calls_by_mode (tenant_id, minute_ms, endpoint, status, outcome, mode, count)
  SELECT tenant_id, minute_ms, endpoint, status, outcome, '', count FROM calcom_calls;
DROP TABLE calcom_calls;
ALTER TABLE calcom_calls_by_mode RENAME TO calcom_calls;

-- Operational metrics: one row per start_booking attempt, and Cal.com request counts per minute.

CREATE TABLE booking_attempts (
  id                      INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id               TEXT NOT NULL,
  at_ms                   INTEGER NOT NULL, -- epoch ms when the attempt started
  duration_ms             INTEGER NOT NULL, -- what the caller waited for the answer
  outcome                 TEXT NOT NULL,    -- booked | a business reason (slot_taken, booking_failed, …)
  segment_count           INTEGER,          -- NULL when the request never resolved to a service
  mode                    TEXT NOT NULL,    -- parallel | sequential (PARALLEL_BOOKING at that time)
  saga_started            INTEGER NOT NULL DEFAULT 0, -- 1 when Cal.com creates were attempted
  compensation_triggered  INTEGER NOT NULL DEFAULT 0, -- 1 when the saga had to undo segments
  cache_hit               INTEGER,          -- availability served from cache: 1/0, NULL while nothing records it
  call_id                 TEXT,
  composite_uid           TEXT,
  request_id              TEXT
);

CREATE INDEX booking_attempts_by_tenant_time ON booking_attempts (tenant_id, at_ms);

-- Aggregated, not one row per request: a request adds to its minute's counter.
CREATE TABLE calcom_calls (
  tenant_id   TEXT NOT NULL,
  minute_ms   INTEGER NOT NULL, -- epoch ms of the minute the call finished in
  endpoint    TEXT NOT NULL,    -- slots | createBooking | getBooking | cancelBooking | listBookings
  status      INTEGER NOT NULL, -- HTTP status; 0 when no response came (timeout, network)
  outcome     TEXT NOT NULL,    -- ok | expected (a 4xx we handle, e.g. slot taken) | error | timeout | network
  count       INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, minute_ms, endpoint, status, outcome)
);

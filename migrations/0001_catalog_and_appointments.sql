-- Every row carries tenant_id: one deployment will serve many salons, each with its own catalog.

CREATE TABLE tenants (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  time_zone   TEXT NOT NULL,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

INSERT INTO tenants (id, name, time_zone) VALUES ('default', 'Default salon', 'Europe/Berlin');

CREATE TABLE services (
  tenant_id   TEXT NOT NULL REFERENCES tenants(id),
  slug        TEXT NOT NULL,
  name        TEXT NOT NULL,
  aliases     TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (tenant_id, slug)
);

CREATE TABLE service_segments (
  tenant_id          TEXT NOT NULL,
  service_slug       TEXT NOT NULL,
  position           INTEGER NOT NULL, -- 0-based order within the service
  segment_key        TEXT NOT NULL,
  name               TEXT NOT NULL,
  duration_minutes   INTEGER NOT NULL CHECK (duration_minutes > 0),
  gap_after_minutes  INTEGER NOT NULL DEFAULT 0 CHECK (gap_after_minutes >= 0),
  PRIMARY KEY (tenant_id, service_slug, position),
  UNIQUE (tenant_id, service_slug, segment_key),
  FOREIGN KEY (tenant_id, service_slug) REFERENCES services(tenant_id, slug) ON DELETE CASCADE
);

-- One Cal.com event type per staff member who can perform a segment.
CREATE TABLE segment_event_types (
  tenant_id      TEXT NOT NULL,
  service_slug   TEXT NOT NULL,
  segment_key    TEXT NOT NULL,
  event_type_id  INTEGER NOT NULL,
  staff          TEXT NOT NULL,
  position       INTEGER NOT NULL, -- catalog order: the preferred staff member comes first
  PRIMARY KEY (tenant_id, service_slug, segment_key, event_type_id),
  FOREIGN KEY (tenant_id, service_slug, segment_key)
    REFERENCES service_segments(tenant_id, service_slug, segment_key) ON DELETE CASCADE
);

CREATE TABLE appointments (
  id              TEXT PRIMARY KEY,
  tenant_id       TEXT NOT NULL REFERENCES tenants(id),
  composite_uid   TEXT NOT NULL UNIQUE,
  service_slug    TEXT NOT NULL,
  service_name    TEXT NOT NULL,
  status          TEXT NOT NULL, -- booked | cancelled
  start_utc       TEXT NOT NULL,
  end_utc         TEXT NOT NULL,
  customer_name   TEXT NOT NULL,
  customer_email  TEXT,
  customer_phone  TEXT,
  source          TEXT NOT NULL, -- retell | admin | …
  call_id         TEXT,
  booking_mode    TEXT NOT NULL, -- parallel | sequential
  booking_ms      INTEGER NOT NULL, -- how long the Cal.com saga took
  total_minutes   INTEGER NOT NULL, -- first segment start to last segment end
  created_at      TEXT NOT NULL
);

CREATE INDEX appointments_by_tenant_start ON appointments (tenant_id, start_utc);
CREATE INDEX appointments_by_phone ON appointments (tenant_id, customer_phone);

CREATE TABLE appointment_segments (
  appointment_id      TEXT NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
  segment_index       INTEGER NOT NULL,
  segment_key         TEXT NOT NULL,
  segment_name        TEXT NOT NULL,
  event_type_id       INTEGER NOT NULL,
  staff               TEXT NOT NULL,
  calcom_booking_id   INTEGER NOT NULL,
  calcom_booking_uid  TEXT NOT NULL UNIQUE,
  start_utc           TEXT NOT NULL,
  end_utc             TEXT NOT NULL,
  duration_minutes    INTEGER NOT NULL,
  gap_after_minutes   INTEGER NOT NULL,
  status              TEXT NOT NULL, -- booked | cancelled
  PRIMARY KEY (appointment_id, segment_index)
);

-- Answers to Cal.com event types' own required questions (bookingFieldsResponses), for the whole service and
-- per segment, and the last preflight of each service so the status page shows it without asking Cal.com.
ALTER TABLE services ADD COLUMN booking_fields_responses TEXT NOT NULL DEFAULT '{}';         -- JSON object
ALTER TABLE service_segments ADD COLUMN booking_fields_responses TEXT NOT NULL DEFAULT '{}'; -- JSON object

CREATE TABLE service_preflight (
  tenant_id     TEXT NOT NULL,
  service_slug  TEXT NOT NULL,
  checked_at    TEXT NOT NULL,
  errors        INTEGER NOT NULL,
  warnings      INTEGER NOT NULL,
  report        TEXT NOT NULL, -- JSON PreflightReport
  PRIMARY KEY (tenant_id, service_slug)
);

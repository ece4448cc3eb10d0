-- Appointments change after booking: cancelled by the caller, moved to a new time (a new appointment that
-- remembers the old one), or changed at Cal.com by someone else.
ALTER TABLE appointments ADD COLUMN rescheduled_from TEXT; -- id of the appointment this one replaced
ALTER TABLE appointments ADD COLUMN rescheduled_to TEXT;   -- id of the appointment that replaced this one
ALTER TABLE appointments ADD COLUMN cancelled_at TEXT;
ALTER TABLE appointments ADD COLUMN cancel_reason TEXT;
ALTER TABLE appointments ADD COLUMN changed_at TEXT;       -- last change seen from Cal.com webhooks

CREATE INDEX appointments_by_email ON appointments (tenant_id, customer_email);

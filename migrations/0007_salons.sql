-- Salons as data: the tenants table gains what a salon is beyond its name and zone. `settings_json` holds the
-- salon's non-secret settings (locale, Cal.com URL, cache, deadline, retention…); `secrets_sealed` its Cal.com and
-- Retell keys and webhook secret, AES-GCM under MASTER_KEY (src/salons/secrets.ts), never in clear. The `default`
-- row stays: the default salon is configured by the Worker vars, not by these columns.
ALTER TABLE tenants ADD COLUMN settings_json TEXT;
ALTER TABLE tenants ADD COLUMN secrets_sealed TEXT;
ALTER TABLE tenants ADD COLUMN updated_at TEXT;

-- A Retell agent belongs to one salon at most: its calls resolve to that salon.
CREATE TABLE salon_agents (
  agent_id    TEXT PRIMARY KEY,
  salon_id    TEXT NOT NULL REFERENCES tenants(id)
);

CREATE INDEX salon_agents_by_salon ON salon_agents (salon_id);

-- Retell requests already seen, by the SHA-256 of signature header and raw body: an identical signed request
-- is answered with the first one's answer, never run twice. Rows live a little longer than the signature
-- window (after which the signature itself is refused) and are deleted as new requests arrive.
CREATE TABLE signed_requests (
  digest          TEXT PRIMARY KEY,
  seen_at_ms      INTEGER NOT NULL,
  expires_at_ms   INTEGER NOT NULL,
  answer_json     TEXT               -- NULL while the first request is still being answered
);

CREATE INDEX signed_requests_by_expiry ON signed_requests (expires_at_ms);

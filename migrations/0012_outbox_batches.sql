-- The outbox sends through the provider's batch endpoint: up to 100 messages a call under
-- one idempotency key. A message keeps its batch's key from the first attempt on, so a retry
-- (or a dispatcher taking over an expired lease) sends exactly the same messages under the
-- same key, and the provider delivers each once.
ALTER TABLE outbox ADD COLUMN batch_key TEXT;
-- Messages tried before, one at a time under their own key, go on alone under it.
UPDATE outbox SET batch_key = idempotency_key WHERE status IN ('pending', 'sending') AND attempts > 0;

-- A batch's messages; the batches due again (found without reading the messages never tried).
CREATE INDEX outbox_batches ON outbox (batch_key) WHERE batch_key IS NOT NULL;
CREATE INDEX outbox_retries ON outbox (next_attempt_at) WHERE status = 'pending' AND batch_key IS NOT NULL;
-- The messages a dispatcher holds.
CREATE INDEX outbox_claims ON outbox (claim) WHERE status = 'sending';

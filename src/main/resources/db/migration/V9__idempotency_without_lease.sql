-- Retried writes (docs/idempotency.md): "in use" is now a transaction-scoped advisory lock held
-- by the attempt itself, so it ends with that attempt (a commit, a rollback, a lost connection
-- or a crashed database) instead of a lease that outlives it. Rows are written only with the
-- answer, state 'completed', without a lease.
-- Expand only: while replicas of the previous release still run, their 'in_progress' claims are
-- honoured until locked_until; a later release drops state and locked_until.
ALTER TABLE idempotency_keys ALTER COLUMN locked_until DROP NOT NULL;

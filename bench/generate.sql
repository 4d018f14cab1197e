-- Benchmark data: :n profiles (ids bench-1 .. bench-N) on free, basic and premium, verified,
-- each with user_stats and 11 usage rows (one per feature of the seed). Run with
--   psql -v n=10000 -f bench/generate.sql
\set ON_ERROR_STOP on
BEGIN;
DELETE FROM profiles WHERE id LIKE 'bench-%';
INSERT INTO profiles (id, email, role, tier, email_verified, created, updated)
SELECT 'bench-' || i, 'bench-' || i || '@example.com', 'user',
       (ARRAY['free', 'basic', 'premium'])[1 + i % 3], true, now(), now()
FROM generate_series(1, :n) i;
INSERT INTO user_stats (profile_id, created, updated)
SELECT 'bench-' || i, now(), now() FROM generate_series(1, :n) i;
INSERT INTO user_feature_usage (profile_id, feature_id, usage_count, reset_at, created, updated)
SELECT 'bench-' || i, f.id, 0,
       CASE f.reset_period WHEN 'monthly' THEN date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '1 month' END,
       now(), now()
FROM generate_series(1, :n) i CROSS JOIN features f;
-- the benchmark measures throughput, not the limits: nobody runs out
INSERT INTO user_feature_restrictions (profile_id, feature_id, limit_value, created, updated)
SELECT 'bench-' || i, f.id, NULL, now(), now()
FROM generate_series(1, :n) i CROSS JOIN features f WHERE f.limit_type <> 'boolean' AND i % 3 = 1;
COMMIT;
UPDATE app_settings SET value = 'false' WHERE key = 'require_email_verification';
VACUUM ANALYZE;

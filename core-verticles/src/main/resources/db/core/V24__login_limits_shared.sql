-- Login's rate windows move to the shared rate_windows table (cluster-config's common V4, which runs before the app's
-- migrations), under the "login:" prefix, so one limiter serves login, checkouts and plays. Live windows carry over.
INSERT INTO rate_windows (bucket, window_start, hits)
SELECT 'login:' || bucket, window_start, hits FROM login_rate_windows
ON CONFLICT (bucket, window_start) DO NOTHING;
DROP TABLE login_rate_windows;

-- Every activity entry pays for every index of user_activity_log, and expire-grants writes one
-- per grant. The seed's (profile_id, created) and (action, created) indexes serve no query: the
-- activity views page by seq, through idx_activity_log_profile_seq and idx_activity_log_seq_action.
DROP INDEX IF EXISTS idx_activity_log_profile;
DROP INDEX IF EXISTS idx_activity_log_action;

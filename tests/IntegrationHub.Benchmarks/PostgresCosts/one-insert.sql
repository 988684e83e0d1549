-- The least a step's transaction can be: BEGIN, one insert, COMMIT, in one round trip.
\set m random(1, 9000000000000000000)
\startpipeline
BEGIN;
INSERT INTO x_inbox (consumer, message_id, processed_at) VALUES ('verify', 'm' || :m || '-' || :client_id, :m);
COMMIT;
\endpipeline

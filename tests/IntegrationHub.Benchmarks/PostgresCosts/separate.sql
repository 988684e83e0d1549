-- A step's commit as the store sends it: BEGIN, the inbox record, the dossier's update, a timeline
-- entry, the outbox row and COMMIT, each its own statement, all in one round trip.
\set d random(1, 100000)
\set m random(1, 9000000000000000000)
\startpipeline
BEGIN;
INSERT INTO x_inbox (consumer, message_id, processed_at) VALUES ('verify', 'm' || :m || '-' || :client_id, :m);
UPDATE x_dossiers SET stage = 'verified', version = version + 1, updated_at = :m WHERE portal_code = 'P' || :d;
INSERT INTO x_timeline (portal_code, at, actor, unit, action, status, message_id) VALUES ('P' || :d, :m, 'hub', 'center', 'verified', 'ok', 'm' || :m);
INSERT INTO x_outbox (queue, message_id, body, correlation_id, subject, content_type, properties, copy_id, base_delivery_count, due_at, claimed_until)
SELECT * FROM unnest(ARRAY['route'], ARRAY['m' || :m], ARRAY['\x7b7d'::bytea], ARRAY['c'], ARRAY['s'], ARRAY['application/json'], ARRAY['{}'], ARRAY['k' || :m], ARRAY[0], ARRAY[:m::bigint], ARRAY[0::bigint]) RETURNING id, copy_id;
COMMIT;
\endpipeline

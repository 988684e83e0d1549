-- Tables of the shape of a flow step's writes on the PostgreSQL store (the inbox, a dossier, its
-- timeline, the outbox), with the same keys and indexes, and 100,000 dossiers to update.
SET client_min_messages = warning;
DROP TABLE IF EXISTS x_inbox, x_dossiers, x_timeline, x_outbox;
CREATE TABLE x_inbox (consumer TEXT NOT NULL, message_id TEXT NOT NULL, processed_at BIGINT NOT NULL, PRIMARY KEY (consumer, message_id));
CREATE INDEX x_inbox_age ON x_inbox (processed_at);
CREATE TABLE x_dossiers (portal_code TEXT PRIMARY KEY, city_code TEXT UNIQUE, stage TEXT, department_code TEXT, received_at BIGINT,
    due_at BIGINT, version INT NOT NULL DEFAULT 0, updated_at BIGINT, portal_synced_at BIGINT, payload TEXT) WITH (fillfactor = 80);
CREATE INDEX x_dossiers_stage ON x_dossiers (stage);
CREATE INDEX x_dossiers_department ON x_dossiers (department_code, received_at);
CREATE INDEX x_dossiers_due ON x_dossiers (due_at) WHERE due_at IS NOT NULL;
INSERT INTO x_dossiers (portal_code, stage, department_code, received_at, due_at, payload)
SELECT 'P' || g, 'received', 'D' || (g % 20), g, g, repeat('x', 300) FROM generate_series(1, 100000) g;
CREATE TABLE x_timeline (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, portal_code TEXT NOT NULL, at BIGINT, actor TEXT, unit TEXT,
    action TEXT, status TEXT, message_id TEXT);
CREATE INDEX x_timeline_dossier ON x_timeline (portal_code, id);
CREATE TABLE x_outbox (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, queue TEXT NOT NULL, message_id TEXT, body BYTEA, correlation_id TEXT,
    subject TEXT, content_type TEXT, properties TEXT, copy_id TEXT, base_delivery_count INT, due_at BIGINT, claimed_until BIGINT);
CREATE INDEX x_outbox_due ON x_outbox (due_at, id);
VACUUM ANALYZE;

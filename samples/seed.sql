-- Tandem sample data for samples/schema.sql.
--
-- SCALE: this file contains the placeholder :scale (the number of users). It is psql's variable
-- syntax, so with psql run
--     psql -v scale=2000 -f samples/seed.sql
-- Over JDBC (tests, `tandem demo`) the caller replaces every :scale with an integer before running
-- the file (dev.tandem.testing.SampleSchema#seed does). Default scale: 2000.
--
-- For a scale S it inserts S users, S/2 user profiles, max(S/10, 1) projects with 4 memberships
-- each (owner + 3, duplicates skipped), 5*S tasks, 2*S comments and S reactions.
-- TASKS PER USER: 5 unless the session setting tandem_seed.tasks_per_user says otherwise
-- (`SET tandem_seed.tasks_per_user = 10` before running the file; `tandem demo --scale medium`
-- does, for 100k users and 1M tasks). Comments always refer to the first 5*S tasks.
-- The content is deterministic (derived from md5(i::text) and the like, never random()), so two
-- seeded databases hold identical rows: same keys, same text, same timestamps. Some full names
-- contain apostrophes and non-ASCII letters, some are a single word, some have three words.
-- Expects an empty schema on search_path; ends with ANALYZE.

INSERT INTO users (id, email, full_name, password_hash, created_at, updated_at)
SELECT md5('user:' || i)::uuid,
       'user' || i || '@example.com',
       CASE WHEN i % 50 = 0
            THEN f.first[(i % 12) + 1]
            ELSE f.first[(i % 12) + 1] || ' ' || f.last[((i / 12) % 11) + 1]
       END,
       'sha256:' || md5('password:' || i),
       timestamptz '2024-01-01 00:00:00+00' + i * interval '17 minutes',
       timestamptz '2024-01-01 00:00:00+00' + i * interval '17 minutes' + (i % 30) * interval '1 day'
  FROM generate_series(1, :scale) AS i,
       (SELECT ARRAY['Ada', 'Zoë', 'José', 'Seán', 'Björk', 'Chloé', 'Mårten', 'François',
                     'Renée', 'Jürgen', '美咲', 'Ana María'] AS first,
               ARRAY['O''Brien', 'D''Angelo', 'Müller', 'Nguyễn', 'García', 'O''Connor',
                     'Søndergaard', 'Smith', 'Łukasiewicz', '山田', 'Dvořák'] AS last) AS f
 ORDER BY i;

INSERT INTO user_profiles (user_id, avatar_url, bio, phone, created_at, updated_at)
SELECT md5('user:' || i)::uuid,
       'https://avatars.example.com/' || md5('avatar:' || i) || '.png',
       CASE WHEN i % 3 = 0 THEN NULL ELSE 'Bio of user ' || i || ' — likes PostgreSQL' END,
       CASE WHEN i % 5 = 0 THEN NULL ELSE '+1-555-' || lpad((i % 10000)::text, 4, '0') END,
       timestamptz '2024-01-02 00:00:00+00' + i * interval '17 minutes',
       timestamptz '2024-01-02 00:00:00+00' + i * interval '17 minutes'
  FROM generate_series(2, :scale, 2) AS i
 ORDER BY i;

INSERT INTO projects (id, name, description, status, owner_id, created_at, updated_at)
SELECT md5('project:' || p)::uuid,
       'Project ' || p || ' ' || (ARRAY['Apollo', 'Borealis', 'Café', 'Dragon''s Den', 'Echo'])[(p % 5) + 1],
       CASE WHEN p % 4 = 0 THEN NULL ELSE 'Description of project ' || p END,
       (ARRAY['active', 'active', 'completed', 'archived'])[(p % 4) + 1]::project_status,
       md5('user:' || (((p * 7) % :scale) + 1))::uuid,
       timestamptz '2024-02-01 00:00:00+00' + p * interval '1 hour',
       timestamptz '2024-02-01 00:00:00+00' + p * interval '1 hour'
  FROM generate_series(1, greatest(:scale / 10, 1)) AS p
 ORDER BY p;

INSERT INTO project_members (project_id, user_id, role, created_at)
SELECT md5('project:' || p)::uuid,
       md5('user:' || (((p * 7 + k * 13) % :scale) + 1))::uuid,
       (CASE k WHEN 0 THEN 'owner' WHEN 1 THEN 'admin' ELSE 'member' END)::member_role,
       timestamptz '2024-02-01 00:00:00+00' + p * interval '1 hour' + k * interval '1 minute'
  FROM generate_series(1, greatest(:scale / 10, 1)) AS p, generate_series(0, 3) AS k
 ORDER BY p, k
    ON CONFLICT DO NOTHING;

INSERT INTO tasks (id, project_id, title, description, priority, status, due_date, assigned_to,
                   created_at, updated_at)
SELECT md5('task:' || t)::uuid,
       md5('project:' || (((t - 1) % greatest(:scale / 10, 1)) + 1))::uuid,
       'Task ' || t || ': ' || (ARRAY['write docs', 'fix bug', 'review PR', 'deploy', 'naïve refactor'])[(t % 5) + 1],
       CASE WHEN t % 3 = 0 THEN NULL ELSE 'Details for task ' || t END,
       (t % 5) + 1,
       (ARRAY['pending', 'in_progress', 'completed', 'cancelled'])[(t % 4) + 1]::task_status,
       CASE WHEN t % 4 = 0 THEN NULL ELSE date '2025-01-01' + (t % 365) END,
       CASE WHEN t % 7 = 0 THEN NULL ELSE md5('user:' || (((t * 11) % :scale) + 1))::uuid END,
       timestamptz '2024-03-01 00:00:00+00' + t * interval '3 minutes',
       timestamptz '2024-03-01 00:00:00+00' + t * interval '3 minutes' + (t % 10) * interval '1 hour'
  FROM generate_series(1, coalesce(nullif(current_setting('tandem_seed.tasks_per_user', true), '')::integer, 5) * :scale) AS t
 ORDER BY t;

-- comments.id and comment_reactions.id come from their identity sequences; in a fresh schema the
-- ORDER BY makes them 1, 2, 3, ... deterministically.
INSERT INTO comments (task_id, author_id, body, created_at)
SELECT md5('task:' || (((c * 3) % (5 * :scale)) + 1))::uuid,
       md5('user:' || (((c * 5) % :scale) + 1))::uuid,
       (ARRAY['Looks good to me', 'Can''t reproduce', 'Done ✅', 'Ça marche', 'Needs tests'])[(c % 5) + 1]
           || ' (#' || c || ')',
       timestamptz '2024-04-01 00:00:00+00' + c * interval '5 minutes'
  FROM generate_series(1, 2 * :scale) AS c
 ORDER BY c;

INSERT INTO comment_reactions (comment_id, user_id, emoji, created_at)
SELECT cm.id,
       md5('user:' || (((cm.id * 13 + k) % :scale) + 1))::uuid,
       (ARRAY['👍', '🎉', '❤️', '😄', '🚀'])[((cm.id + k) % 5) + 1],
       cm.created_at + k * interval '1 minute'
  FROM comments AS cm, generate_series(1, 2) AS k
 WHERE cm.id % 6 = 0 OR (cm.id % 3 = 0 AND k = 1)
 ORDER BY cm.id, k;

ANALYZE users, user_profiles, projects, project_members, tasks, comments, comment_reactions;

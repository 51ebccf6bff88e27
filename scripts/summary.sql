-- The monthly summary of `cm report summary --month M --from-export FILE...`, written as SQL
-- over the offices' exports (DuckDB; the same reading works in Spark or Trino with their JSON
-- functions). Set three variables first, then run the file:
--
--   SET VARIABLE files = 'exports/*.jsonl';
--   SET VARIABLE first = DATE '2026-10-01';   -- the month's first day
--   SET VARIABLE last = DATE '2026-10-31';    -- and its last
--
-- It gives `metric, value` rows, as cm does, for the figures cm computes from exports but the
-- mean domain change (the carried-forward scores need a loop over each case's reviews) and the
-- lines cm leaves out (a line that is not a case of the format stops DuckDB instead). A case
-- counts as it stood at the end of the month: opened by then, come from another office by then
-- (`transfers[].from_office`), and not closed as transferred to an office of the files by then
-- (that office's file holds it from the day of the transfer). scripts/duckdb-summary.sh holds
-- these figures to cm's.

WITH lines AS (
    SELECT json AS j FROM read_ndjson_objects(getvariable('files'))
),
offices AS (SELECT DISTINCT j->>'office' AS office FROM lines),
-- Each entry of a list of each case, with its place in the list.
items AS (
    SELECT j->>'office' AS office, j->>'id' AS id, list AS list,
           unnest(range(coalesce(json_array_length(j, '$.' || list), 0)::BIGINT)) AS i,
           j
    FROM lines, (VALUES ('history'), ('reviews'), ('contacts'), ('services'),
                        ('risk_changes'), ('transfers'), ('episodes')) AS l(list)
),
entries AS (
    SELECT office, id, list, i, json_extract(j, '$.' || list || '[' || i || ']') AS e FROM items
),
arrivals AS (
    SELECT office, id, max(CAST(e->>'date' AS DATE)) AS arrived
    FROM entries WHERE list = 'transfers' AND e->>'from_office' IS NOT NULL
    GROUP BY office, id
),
-- The cases of the month's end.
cases AS (
    SELECT l.j->>'office' AS office, l.j->>'id' AS id, l.j->>'program' AS program,
           l.j->>'household' AS household, l.j
    FROM lines l
    LEFT JOIN arrivals a ON a.office = l.j->>'office' AND a.id = l.j->>'id'
    WHERE CAST(l.j->>'opened' AS DATE) <= getvariable('last')
      AND (a.arrived IS NULL OR a.arrived <= getvariable('last'))
      AND NOT coalesce(l.j->>'$.closure.reason' = 'transferred'
                       AND CAST(l.j->>'$.closure.date' AS DATE) <= getvariable('last')
                       AND l.j->>'$.closure.to_office' IN (SELECT office FROM offices), false)
),
mine AS (
    SELECT e.* FROM entries e JOIN cases c USING (office, id)
),
history AS (
    SELECT office, id, i, CAST(e->>'date' AS DATE) AS date, e->>'phase' AS phase,
           e->>'risk' AS risk,
           lag(e->>'phase') OVER (PARTITION BY office, id ORDER BY i) AS before
    FROM mine WHERE list = 'history'
),
-- Episodes: the first from `opened`, then each intake right after a closed entry; each ends
-- on the first closed entry after its start.
starts AS (
    SELECT office, id, -1 AS i, CAST(j->>'opened' AS DATE) AS start, false AS reopened
    FROM cases
    UNION ALL
    SELECT office, id, i, date, true FROM history WHERE phase = 'intake' AND before = 'closed'
),
episodes AS (
    SELECT s.office, s.id, s.start, s.reopened,
           (SELECT h.date FROM history h
             WHERE h.office = s.office AND h.id = s.id AND h.phase = 'closed' AND h.i > s.i
             ORDER BY h.i LIMIT 1) AS "end"
    FROM starts s
),
closures AS (
    SELECT office, id, j->'closure' AS c FROM cases
    UNION ALL
    SELECT office, id, e->'closure' FROM mine WHERE list = 'episodes'
),
closed AS (
    SELECT c->>'reason' AS reason FROM closures
    WHERE CAST(c->>'date' AS DATE) BETWEEN getvariable('first') AND getvariable('last')
),
phase_at_end AS (
    SELECT office, id, arg_max(phase, i) AS phase
    FROM history WHERE date <= getvariable('last') GROUP BY office, id
),
open_at_end AS (
    SELECT c.office, c.id, c.program, p.phase FROM cases c JOIN phase_at_end p USING (office, id)
    WHERE p.phase <> 'closed'
),
-- The risk decided last by the month's end: on one day the history's, then the reviews', then
-- the changes'; else the case's own.
risks AS (
    SELECT office, id, CAST(e->>'date' AS DATE) AS date, e->>'risk' AS risk,
           CASE list WHEN 'history' THEN 0 WHEN 'reviews' THEN 1 ELSE 2 END AS source, i
    FROM mine
    WHERE list IN ('history', 'reviews', 'risk_changes') AND e->>'risk' IS NOT NULL
),
risk_at_end AS (
    SELECT o.office, o.id,
           coalesce((SELECT arg_max(r.risk, (r.date, r.source, r.i)) FROM risks r
                      WHERE r.office = o.office AND r.id = o.id
                        AND r.date <= getvariable('last')),
                    c.j->>'risk') AS risk
    FROM open_at_end o JOIN cases c USING (office, id)
),
dated AS (
    SELECT list, e, CAST(e->>'date' AS DATE) AS date FROM mine
),
services AS (
    SELECT office, id, i, e,
           CAST(e->>'referred' AS DATE) AS referred, CAST(e->>'ended' AS DATE) AS ended
    FROM mine WHERE list = 'services'
),
-- A service's status at the month's end: its last update's by then, else its own.
service_status AS (
    SELECT s.referred, s.ended,
           CASE WHEN coalesce(json_array_length(s.e, '$.updates'), 0) = 0 THEN s.e->>'status'
                ELSE (SELECT u->>'status' FROM (
                        SELECT unnest(json_extract(s.e, '$.updates[*]')) AS u) x
                      WHERE CAST(u->>'date' AS DATE) <= getvariable('last')
                      ORDER BY CAST(u->>'date' AS DATE) DESC LIMIT 1) END AS status
    FROM services s
),
in_month AS (
    SELECT * FROM episodes WHERE start BETWEEN getvariable('first') AND getvariable('last')
),
figures AS (
    SELECT 'cases_opened' AS metric, count(*) AS value FROM in_month
    UNION ALL SELECT 'cases_reopened', count(*) FROM in_month WHERE reopened
    UNION ALL SELECT 'cases_closed', count(*) FROM closed
    UNION ALL SELECT 'cases_closed.' || r, (SELECT count(*) FROM closed WHERE reason = r)
      FROM unnest(['goals-achieved', 'transferred', 'client-withdrew', 'lost-contact', 'moved',
                   'deceased', 'other']) AS t(r)
    UNION ALL SELECT 'open_at_month_end', count(*) FROM open_at_end
    UNION ALL SELECT 'open_at_month_end.program.' || p,
                     (SELECT count(*) FROM open_at_end WHERE program = p)
      FROM unnest(['child-protection', 'disability', 'female-headed-household', 'older-person',
                   'general']) AS t(p)
    UNION ALL SELECT 'open_at_month_end.phase.' || p,
                     (SELECT count(*) FROM open_at_end WHERE phase = p)
      FROM unnest(['intake', 'assessment', 'planning', 'implementation', 'monitoring']) AS t(p)
    UNION ALL SELECT 'open_at_month_end.risk.' || r,
                     (SELECT count(*) FROM risk_at_end WHERE risk = r)
      FROM unnest(['low', 'medium', 'high', 'critical']) AS t(r)
    -- The families served: the households of the cases open at some time in the month, a case
    -- of no household a household of its own.
    UNION ALL SELECT 'households_served', count(DISTINCT coalesce('household ' || c.household,
                                                                  'case ' || c.id))
      FROM cases c JOIN episodes e USING (office, id)
      WHERE e.start <= getvariable('last')
        AND (e."end" IS NULL OR e."end" >= getvariable('first'))
    UNION ALL SELECT 'reviews_held', count(*) FROM dated
      WHERE list = 'reviews' AND date BETWEEN getvariable('first') AND getvariable('last')
    UNION ALL SELECT 'contacts_held', count(*) FROM dated
      WHERE list = 'contacts' AND date BETWEEN getvariable('first') AND getvariable('last')
    UNION ALL SELECT 'contacts_held.' || t,
                     (SELECT count(*) FROM dated WHERE list = 'contacts' AND e->>'type' = t
                        AND date BETWEEN getvariable('first') AND getvariable('last'))
      FROM unnest(['home-visit', 'office-visit', 'phone', 'message', 'group', 'other']) AS x(t)
    UNION ALL SELECT 'referrals_made', count(*) FROM services
      WHERE referred BETWEEN getvariable('first') AND getvariable('last')
    UNION ALL SELECT 'referrals_completed', count(*) FROM service_status
      WHERE status = 'completed' AND ended BETWEEN getvariable('first') AND getvariable('last')
)
SELECT metric, value FROM figures;

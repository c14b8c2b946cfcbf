/**
 * The network search in SQL (migration 0007's tables): keeping the index rows with their entities,
 * and the two searches of `SearchIndex`, exact (a substring test on the folded text, as the rule)
 * and narrowed by the full-text index (FTS5 on SQLite, `tsvector` with GIN on PostgreSQL).
 *
 * @internal
 */
import { Effect, Schema } from "effect"
import type { SqlError, Statement } from "@effect/sql"
import { SqlClient } from "@effect/sql"
import { Entity } from "@copkit/core"
import type { Insight, Programme, SearchIndex, Session } from "@copkit/core"
import type { Names } from "./names.js"
import * as search from "./search.js"

/** The index's tables. @internal */
export const tables = {
  themes: "search_themes",
  insights: "search_insights",
  insightsFts: "search_insights_fts",
  minutes: "search_minutes",
  minutesFts: "search_minutes_fts"
} as const

/** Migration 0007: the tables, the full-text indexes, and the rows of what is already stored. @internal */
export const migrate = (n: Names): Effect.Effect<void, unknown, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const isPg = sql.onDialectOrElse({ pg: () => true, orElse: () => false })
    const id = isPg ? "text COLLATE \"C\"" : "TEXT"
    const json = isPg ? "jsonb" : "TEXT"
    const big = isPg ? "bigint" : "INTEGER"
    const seq = isPg ? "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY"
    const lexemes = isPg ? ", lexemes tsvector NOT NULL" : ""
    const lit = sql.literal
    yield* sql`CREATE TABLE ${sql(n.table(tables.themes))} (
      programme_id ${lit(id)} NOT NULL,
      position ${lit(big)} NOT NULL,
      theme_id ${lit(id)} NOT NULL,
      theme_key text NOT NULL,
      title text NOT NULL,
      PRIMARY KEY (programme_id, position)
    )`
    yield* sql`CREATE TABLE ${sql(n.table(tables.insights))} (
      seq ${lit(seq)},
      id ${lit(id)} NOT NULL UNIQUE,
      programme_id ${lit(id)} NOT NULL,
      region_id ${lit(id)} NOT NULL,
      kind text NOT NULL,
      visibility text NOT NULL,
      recorded_at ${lit(big)} NOT NULL,
      theme_ids ${lit(json)} NOT NULL,
      theme_ids_folded ${lit(json)} NOT NULL,
      tags_folded ${lit(json)} NOT NULL,
      title text NOT NULL,
      body text NOT NULL,
      theme_titles text NOT NULL DEFAULT '',
      theme_keys ${lit(json)} NOT NULL DEFAULT '[]'${lit(lexemes)}
    )`
    yield* sql`CREATE INDEX ${sql(n.index("search_insights_region_idx"))} ON ${sql(n.table(tables.insights))} (region_id)`
    yield* sql`CREATE INDEX ${sql(n.index("search_insights_programme_idx"))} ON ${sql(n.table(tables.insights))} (programme_id)`
    yield* sql`CREATE TABLE ${sql(n.table(tables.minutes))} (
      seq ${lit(seq)},
      id ${lit(id)} NOT NULL UNIQUE,
      programme_ids ${lit(json)} NOT NULL,
      region_ids ${lit(json)} NOT NULL,
      theme_id ${lit(id)},
      theme_id_folded text,
      visibility text NOT NULL,
      at ${lit(big)} NOT NULL,
      title text NOT NULL,
      body text NOT NULL,
      theme_title text NOT NULL DEFAULT ''${lit(lexemes)}
    )`
    yield* sql`CREATE INDEX ${sql(n.index("search_themes_theme_idx"))} ON ${sql(n.table(tables.themes))} (theme_id)`
    yield* sql`CREATE INDEX ${sql(n.index("search_minutes_theme_idx"))} ON ${sql(n.table(tables.minutes))} (theme_id)`
    if (isPg) {
      for (const table of [tables.insights, tables.minutes]) {
        yield* sql`CREATE INDEX ${sql(n.index(`${table}_lexemes_idx`))} ON ${sql(n.table(table))} USING gin (lexemes)`
      }
      for (const column of ["region_ids", "programme_ids"]) {
        yield* sql`CREATE INDEX ${sql(n.index(`search_minutes_${column}_idx`))} ON ${sql(n.table(tables.minutes))} USING gin (${sql(column)} jsonb_path_ops)`
      }
    } else {
      yield* sql`CREATE INDEX ${sql(n.index("search_minutes_first_programme_idx"))} ON ${sql(n.table(tables.minutes))} (json_extract(programme_ids, '$[0]'))`
      // external-content FTS5 tables over the folded title and body, kept by triggers
      for (const [table, fts] of [[tables.insights, tables.insightsFts], [tables.minutes, tables.minutesFts]] as const) {
        const t = n.table(table)
        const f = n.table(fts)
        yield* sql.unsafe(`CREATE VIRTUAL TABLE "${f}" USING fts5(title, body, content='${t}', content_rowid='seq', tokenize='trigram case_sensitive 1')`)
        yield* sql.unsafe(`CREATE TRIGGER "${f}_insert" AFTER INSERT ON "${t}" BEGIN
          INSERT INTO "${f}" (rowid, title, body) VALUES (new.seq, new.title, new.body); END`)
        yield* sql.unsafe(`CREATE TRIGGER "${f}_delete" AFTER DELETE ON "${t}" BEGIN
          INSERT INTO "${f}" ("${f}", rowid, title, body) VALUES ('delete', old.seq, old.title, old.body); END`)
        yield* sql.unsafe(`CREATE TRIGGER "${f}_update" AFTER UPDATE ON "${t}" BEGIN
          INSERT INTO "${f}" ("${f}", rowid, title, body) VALUES ('delete', old.seq, old.title, old.body);
          INSERT INTO "${f}" (rowid, title, body) VALUES (new.seq, new.title, new.body); END`)
      }
    }
    // what is already stored
    const writer = make(n, sql)
    const each = <A, I>(kind: Entity.EntityKind<A, I>, f: (a: A) => Effect.Effect<void, SqlError.SqlError>) =>
      Effect.gen(function*() {
        const decode = Schema.decodeUnknownSync(kind.schema)
        const rows = yield* sql<{ readonly document: unknown }>`SELECT document FROM ${sql(n.table(kind.table))} ORDER BY id`
        for (const row of rows) yield* f(decode(typeof row.document === "string" ? JSON.parse(row.document) : row.document))
      })
    yield* each(Entity.ProgrammeKind, writer.programme)
    yield* each(Entity.InsightKind, writer.insight)
    yield* each(Entity.SessionKind, writer.session)
  })

/** The writes and the searches. @internal */
export const make = (n: Names, client: SqlClient.SqlClient) => {
  const sql = client.withoutTransforms()
  const isPg = sql.onDialectOrElse({ pg: () => true, orElse: () => false })
  const run = <A>(f: (sql: SqlClient.SqlClient, isPg: boolean) => Effect.Effect<A, SqlError.SqlError>) => f(sql, isPg)

  /** The elements of a JSON array of strings, as a subquery's rows (column `value`, and `key` its index). */
  const elements = (column: Statement.Fragment) =>
    isPg ? sql`jsonb_array_elements_text(${column}) WITH ORDINALITY AS e(value, key)` : sql`json_each(${column}) AS e`

  /**
   * The insight's themes as the rule sees them (its programme's themes whose id it names): their
   * folded titles, one a line (a folded title has no line break), and their folded keys.
   */
  const insightThemes = (programmeId: Statement.Fragment, themeIds: Statement.Fragment) => {
    const themes = sql`FROM ${sql(n.table(tables.themes))} t WHERE t.programme_id = ${programmeId} AND t.theme_id IN (SELECT e.value FROM ${elements(themeIds)})`
    return {
      titles: sql`COALESCE((SELECT ${isPg ? sql`string_agg(t.title, E'\n')` : sql`group_concat(t.title, char(10))`} ${themes}), '')`,
      keys: sql`COALESCE((SELECT ${isPg ? sql`jsonb_agg(t.theme_key)` : sql`json_group_array(t.theme_key)`} ${themes}), ${isPg ? sql`'[]'::jsonb` : sql`'[]'`})`
    }
  }
  const refreshInsights = (where: Statement.Fragment) => {
    const { keys, titles } = insightThemes(sql`i.programme_id`, sql`i.theme_ids`)
    return sql`UPDATE ${sql(n.table(tables.insights))} AS i SET theme_titles = ${titles}, theme_keys = ${keys} WHERE ${where}`
  }

  /** The title of the session's theme as the rule finds it: in the first of its programmes (in order) that has the theme. */
  const minutesThemeTitle = (programmeIds: Statement.Fragment, themeId: Statement.Fragment) =>
    sql`COALESCE((SELECT t.title FROM ${elements(programmeIds)}
      JOIN ${sql(n.table(tables.themes))} t ON t.programme_id = e.value WHERE t.theme_id = ${themeId} ORDER BY e.key, t.position LIMIT 1), '')`
  const refreshMinutes = (where: Statement.Fragment) =>
    sql`UPDATE ${sql(n.table(tables.minutes))} AS m SET theme_title = ${minutesThemeTitle(sql`m.programme_ids`, sql`m.theme_id`)} WHERE ${where}`

  /** An insert of one row, or the update of the row with its id: the columns and their values. */
  const upsert = (table: string, row: ReadonlyArray<readonly [string, Statement.Fragment]>) =>
    sql`INSERT INTO ${sql(n.table(table))} (${sql.literal(row.map(([c]) => c).join(", "))}) VALUES (${sql.join(", ", false)(row.map(([, v]) => v))})
      ON CONFLICT (id) DO UPDATE SET ${sql.literal(row.filter(([c]) => c !== "id").map(([c]) => `${c} = excluded.${c}`).join(", "))}`

  /**
   * PostgreSQL, read committed: the index rows of insights and minutes copy their programmes'
   * themes' titles, so a programme saved (its themes retitled) while an insight of it is saved in
   * another transaction must not leave that insight with the old titles. Each writer first locks the
   * programmes' rows (the lock an UPDATE of the row takes, so a transaction that saves the programme
   * after its session needs no stronger one and two cannot deadlock upgrading): whichever comes
   * second waits for the first to commit, then reads what it wrote (each statement of a
   * read-committed transaction sees what was committed when it began). Only the rare saves that
   * write index rows (an insight, published minutes, a programme) take it. SQLite runs one writing
   * transaction at a time.
   */
  const lockProgrammes = (ids: ReadonlyArray<string>) =>
    isPg && ids.length > 0
      ? Effect.asVoid(
        sql`SELECT 1 FROM ${sql(n.table(Entity.ProgrammeKind.table))} WHERE id IN ${sql.in([...new Set(ids)].sort())} ORDER BY id FOR NO KEY UPDATE`
      )
      : Effect.void

  const programme = (p: Programme.Programme) =>
    run((sql, isPg) =>
      Effect.gen(function*() {
        yield* lockProgrammes([p.id])
        yield* sql`DELETE FROM ${sql(n.table(tables.themes))} WHERE programme_id = ${p.id}`
        const rows = search.themeRows(p)
        if (rows.length > 0) {
          yield* sql`INSERT INTO ${sql(n.table(tables.themes))} ${
            sql.insert(rows.map((r) => ({ programme_id: r.programmeId, position: r.position, theme_id: r.themeId, theme_key: r.key, title: r.title })))
          }`
        }
        // the rows that show this programme's themes
        yield* refreshInsights(sql`i.programme_id = ${p.id}`)
        yield* refreshMinutes(
          isPg
            ? sql`m.programme_ids @> ${JSON.stringify([p.id])}::jsonb`
            : sql`(json_extract(m.programme_ids, '$[0]') = ${p.id} OR (json_array_length(m.programme_ids) > 1 AND EXISTS (SELECT 1 FROM json_each(m.programme_ids) WHERE value = ${p.id})))`
        )
      })
    )

  const lexemes = (...texts: ReadonlyArray<string>): ReadonlyArray<readonly [string, Statement.Fragment]> =>
    isPg ? [["lexemes", sql`array_to_tsvector(ARRAY(SELECT jsonb_array_elements_text(${search.lexemesOf(...texts)}::jsonb)))`]] : []
  const json = (value: string) => (isPg ? sql`${value}::jsonb` : sql`${value}`)

  const insight = (i: Insight.Insight) =>
    run((sql) => {
      const r = search.insightRow(i)
      const { keys, titles } = insightThemes(sql`${r.programmeId}`, json(r.themeIds))
      return Effect.zipRight(lockProgrammes([r.programmeId]), upsert(tables.insights, [
        ["id", sql`${r.id}`],
        ["programme_id", sql`${r.programmeId}`],
        ["region_id", sql`${r.regionId}`],
        ["kind", sql`${r.kind}`],
        ["visibility", sql`${r.visibility}`],
        ["recorded_at", sql`${r.recordedAt}`],
        ["theme_ids", json(r.themeIds)],
        ["theme_ids_folded", json(r.themeIdsFolded)],
        ["tags_folded", json(r.tagsFolded)],
        ["title", sql`${r.title}`],
        ["body", sql`${r.body}`],
        ["theme_titles", titles],
        ["theme_keys", keys],
        ...lexemes(r.title, r.body)
      ]))
    })

  const session = (s: Session.Session) =>
    run((sql) => {
      const r = search.minutesRow(s)
      if (r === undefined) return sql`DELETE FROM ${sql(n.table(tables.minutes))} WHERE id = ${s.id}`
      return Effect.zipRight(lockProgrammes(s.programmeIds), upsert(tables.minutes, [
        ["id", sql`${r.id}`],
        ["programme_ids", json(r.programmeIds)],
        ["region_ids", json(r.regionIds)],
        ["theme_id", sql`${r.themeId}`],
        ["theme_id_folded", sql`${r.themeIdFolded}`],
        ["visibility", sql`${r.visibility}`],
        ["at", sql`${r.at}`],
        ["title", sql`${r.title}`],
        ["body", sql`${r.body}`],
        ["theme_title", minutesThemeTitle(json(r.programmeIds), sql`${r.themeId}`)],
        ...lexemes(r.title, r.body)
      ]))
    })

  /** The clauses of the access, the region and the paging, shared by both searches. */
  const fragments = (sql: SqlClient.SqlClient, isPg: boolean) => {
    const has = (text: Statement.Fragment, word: string) => (isPg ? sql`strpos(${text}, ${word}) > 0` : sql`instr(${text}, ${word}) > 0`)
    const holds = (column: Statement.Fragment, value: string) => sql`EXISTS (SELECT 1 FROM ${elements(column)} WHERE e.value = ${value})`
    /** Best first: the rule's score (a word in the title counts 3, in the body 1), when words are asked for. */
    const score = (title: Statement.Fragment, words: ReadonlyArray<string>) =>
      words.length === 0
        ? sql.literal("")
        : sql`${sql.join(" + ", false)(words.map((w) => sql`(CASE WHEN ${has(title, w)} THEN 3 ELSE 1 END)`))} DESC,`
    /** The rows of a table the full-text index gives for a word (a superset of those whose title or body holds it), or `undefined`. */
    const fullText = (table: string, word: string): Statement.Fragment | undefined => {
      if (isPg) return sql`SELECT seq FROM ${sql(n.table(table))} WHERE lexemes @@ ${search.tsqueryOf(word)}::tsquery`
      const phrase = search.ftsPhraseOf(word)
      const fts = table === tables.insights ? tables.insightsFts : tables.minutesFts
      return phrase === undefined ? undefined : sql`SELECT rowid FROM ${sql(n.table(fts))} WHERE ${sql(n.table(fts))} MATCH ${phrase}`
    }
    const page = (q: SearchIndex.PageQuery) => sql`LIMIT ${Math.max(0, Math.floor(q.limit))} OFFSET ${Math.max(0, Math.floor(q.offset))}`
    return { has, holds, score, fullText, page }
  }

  const insights = (q: SearchIndex.InsightQuery) =>
    run((sql, isPg) => {
      const { fullText, has, holds, page, score } = fragments(sql, isPg)
      const t = sql(n.table(tables.insights))
      const themes = sql(n.table(tables.themes))
      const clauses: Array<Statement.Fragment> = []
      if (q.kind !== undefined) clauses.push(sql`i.kind = ${q.kind}`)
      if (q.regionId !== undefined) clauses.push(sql`i.region_id = ${q.regionId}`)
      if (q.access._tag === "Limited") {
        const visible = sql`i.visibility IN ${sql.in(q.access.visibilities)}`
        clauses.push(q.access.regionId === undefined ? visible : sql`(i.region_id = ${q.access.regionId} OR ${visible})`)
      }
      if (q.theme !== undefined && q.theme !== "") {
        const T = q.theme
        // its theme ids or tags, or a theme's key, folded, are the theme; or a theme's title holds it
        clauses.push(sql`(${holds(sql`i.theme_ids_folded`, T)} OR ${holds(sql`i.tags_folded`, T)} OR ${holds(sql`i.theme_keys`, T)} OR ${
          has(sql`i.theme_titles`, T)
        })`)
      }
      for (const w of q.words) {
        const candidates = fullText(tables.insights, w)
        // the index holds the title and the body; the themes' titles are the programmes'
        if (candidates !== undefined) {
          clauses.push(sql`i.seq IN (${candidates} UNION SELECT i2.seq FROM ${t} i2 WHERE i2.programme_id IN (SELECT t.programme_id FROM ${themes} t WHERE ${
            has(sql`t.title`, w)
          }))`)
        }
        clauses.push(sql`(${has(sql`i.title`, w)} OR ${has(sql`i.body`, w)} OR ${has(sql`i.theme_titles`, w)})`)
      }
      return sql<{ readonly id: unknown }>`SELECT i.id FROM ${t} i WHERE ${sql.and(clauses)}
        ORDER BY ${score(sql`i.title`, q.words)} i.recorded_at DESC, i.id ${page(q)}`.pipe(
        Effect.map((rows) => rows.map((r) => String(r.id)))
      )
    })

  const minutes = (q: SearchIndex.PageQuery) =>
    run((sql, isPg) => {
      const { fullText, has, holds, page, score } = fragments(sql, isPg)
      const t = sql(n.table(tables.minutes))
      const themes = sql(n.table(tables.themes))
      const clauses: Array<Statement.Fragment> = []
      // a session of no region is no one's (the rule: some region of it)
      clauses.push(isPg ? sql`jsonb_array_length(m.region_ids) > 0` : sql`json_array_length(m.region_ids) > 0`)
      if (q.regionId !== undefined) {
        clauses.push(isPg ? sql`m.region_ids @> ${JSON.stringify([q.regionId])}::jsonb` : holds(sql`m.region_ids`, q.regionId))
      }
      if (q.access._tag === "Limited") {
        const visible = sql`m.visibility IN ${sql.in(q.access.visibilities)}`
        clauses.push(q.access.regionId === undefined ? visible : sql`(${holds(sql`m.region_ids`, q.access.regionId)} OR ${visible})`)
      }
      if (q.theme !== undefined && q.theme !== "") {
        clauses.push(sql`(m.theme_id_folded = ${q.theme} OR ${has(sql`m.theme_title`, q.theme)})`)
      }
      for (const w of q.words) {
        const candidates = fullText(tables.minutes, w)
        // the index holds the title and the minutes; the theme's title is the programmes'
        if (candidates !== undefined) {
          clauses.push(sql`m.seq IN (${candidates} UNION SELECT m2.seq FROM ${t} m2 WHERE m2.theme_id IN (SELECT t.theme_id FROM ${themes} t WHERE ${
            has(sql`t.title`, w)
          }))`)
        }
        clauses.push(sql`(${has(sql`m.title`, w)} OR ${has(sql`m.body`, w)} OR ${has(sql`m.theme_title`, w)})`)
      }
      return sql<{ readonly id: unknown }>`SELECT m.id FROM ${t} m WHERE ${sql.and(clauses)}
        ORDER BY ${score(sql`m.title`, q.words)} m.at DESC, m.id ${page(q)}`.pipe(
        Effect.map((rows) => rows.map((r) => String(r.id)))
      )
    })

  return { programme, insight, session, insights, minutes }
}

/**
 * Cross-implementation driver: Yjs 13 doing the edits of tests/reliability/convergence.py
 * (apply_edit) on the real meeting schema (web/src/schema.js), for tests/test_crossimpl.py.
 *
 * stdin: one JSON command per line; stdout: one JSON result per line (so one process serves
 * many rounds; `echo '{...}' | node crossimpl.mjs` works for a single command).
 * Command: {updates?: [base64], update?: base64, client_id?: number, edits?: [edit], merge?: [base64]}
 *   a fresh Y.Doc applies `updates` (or `update`) in order, then performs `edits` (one
 *   transaction each), then applies `merge` (someone else's concurrent updates).
 * Result: {update: base64 full state, delta: base64 of the edits alone (update since the input
 *   state, taken before `merge`), sv: base64 state vector, json: the plan in the shape of
 *   server/crdt/schema.py extract(), meta: meta.toJSON()} or {error}.
 * Edits: add {list, item} · remove {list, id} · set/unset {path, value} · add_person {id, person}
 *   · insert {path, index, text} · delete {path, index, length}; text positions are UTF-16
 *   code units (Y.Text's own unit) and must not split a surrogate pair.
 */
import { createInterface } from 'node:readline'
import { dirname, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
/** @param {string} p */
const load = (p) => import(pathToFileURL(resolve(here, '../..', p)).href)
const Y = await load('web/node_modules/yjs/dist/yjs.mjs')
const S = await load('web/src/schema.js')
const PARTS = ['vision', 'strengths', 'concerns', 'minutes', 'contacts', 'next_meeting', 'attendance'] // part_trace.PARTS

/** @param {Uint8Array} u8 */
const b64 = (u8) => Buffer.from(u8).toString('base64')
/** @param {string} s */
const bytes = (s) => new Uint8Array(Buffer.from(s, 'base64'))

/** @param {any} doc @param {string} list @param {string} id @return {any} */
function item (doc, list, id) {
  for (const m of doc.getArray(list)) if (m instanceof Y.Map && m.get('id') === id) return m
  throw new Error(`no ${list} item ${id}`)
}

/** @param {any} doc @param {string[]} path @return {any} */
function text (doc, path) {
  const t = path.length === 1 ? doc.getText(path[0]) : item(doc, path[0], path[1]).get(path[2])
  if (!(t instanceof Y.Text)) throw new Error(`${path} is not a Y.Text`)
  return t
}

/** A UTF-16 position that exists and does not split a surrogate pair. @param {string} s @param {number} i */
function position (s, i) {
  if (!Number.isInteger(i) || i < 0 || i > s.length) throw new Error(`position ${i} outside ${JSON.stringify(s)}`)
  const c = s.charCodeAt(i)
  if (i > 0 && c >= 0xdc00 && c <= 0xdfff) throw new Error(`position ${i} splits a surrogate pair`)
  return i
}

/** @param {any} doc @param {string[]} path @return {[any, string]} */
function mapKey (doc, path) {
  if (path[0] === 'meta' || path[0] === 'contacts') return [doc.getMap(path[0]), path[1]]
  if (path[0] === 'people') return [doc.getMap('people').get(path[1]), path[2]]
  return [item(doc, path[0], path[1]), path[2]]
}

/** @param {any} doc @param {any} e */
function apply (doc, e) {
  switch (e.op) {
    case 'add': {
      const m = new Y.Map()
      for (const [k, kind] of Object.entries(S.ITEM_FIELDS[e.list])) {
        m.set(k, kind === 'text' ? new Y.Text(e.item[k] ?? '') : e.item[k] ?? null)
      }
      doc.getArray(e.list).push([m])
      break
    }
    case 'remove': {
      const arr = doc.getArray(e.list)
      const i = arr.toArray().findIndex((/** @type {any} */ m) => m instanceof Y.Map && m.get('id') === e.id)
      if (i < 0) throw new Error(`no ${e.list} item ${e.id}`)
      arr.delete(i, 1)
      break
    }
    case 'set': { const [m, k] = mapKey(doc, e.path); m.set(k, e.value); break }
    case 'unset': { const [m, k] = mapKey(doc, e.path); m.delete(k); break }
    case 'add_person':
      doc.getMap('people').set(e.id, new Y.Map(S.PERSON_FIELDS.map((/** @type {string} */ k) => [k, e.person[k] || ''])))
      break
    case 'insert': { const t = text(doc, e.path); t.insert(position(t.toString(), e.index), e.text); break }
    case 'delete': {
      const t = text(doc, e.path); const s = t.toString()
      position(s, e.index); position(s, e.index + e.length)
      t.delete(e.index, e.length)
      break
    }
    default: throw new Error(`unknown edit ${JSON.stringify(e)}`)
  }
}

// --- the plan, cast exactly like server/crdt/schema.py extract() ---
/** @param {any} v */
const str = (v) => v == null ? '' : String(v) // Y.Text stringifies to its content; 7.0 is 7 in JS
/** @param {any} v */
const number = (v) => typeof v === 'number' && Number.isFinite(v) ? v : null
/** Python's round(): half to even. @param {number} x */
const round = (x) => { const r = Math.round(x); return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r }
/** @type {Record<string, (v: any) => any>} */
const CAST = {
  id: (v) => str(v) || null,
  text: str,
  str: (v) => str(v) || null,
  score: (v) => number(v) === null ? null : Math.min(10, Math.max(0, round(v))),
  int: (v) => number(v) === null ? null : Math.trunc(v),
  status: (v) => S.ACTION_STATUSES.includes(v) ? v : 'open'
}

/** @param {any} doc */
function extract (doc) {
  const meta = doc.getMap('meta')
  /** @type {any} */
  const plan = { title: str(meta.get('title')), next_meeting: str(meta.get('next_meeting')) || null }
  for (const name of S.TEXTS) plan[name] = doc.getText(name).toString()
  // each text's language, when it is a tag (server/crdt/schema.py LANGUAGE_TAG)
  plan.languages = {}
  for (const name of S.TEXTS) {
    const lang = meta.get(S.TEXT_LANGS[name])
    if (typeof lang === 'string' && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/.test(lang)) plan.languages[name] = lang
  }
  plan.people = {}
  for (const [pid, p] of doc.getMap('people').entries()) {
    if (p instanceof Y.Map) plan.people[pid] = Object.fromEntries(S.PERSON_FIELDS.map((/** @type {string} */ k) => [k, str(p.get(k))]))
  }
  plan.contacts = {}
  for (const [d, pid] of doc.getMap('contacts').entries()) if (str(pid)) plan.contacts[d] = str(pid)
  plan.attendance = {}
  for (const [pid, mark] of doc.getMap('attendance').entries()) if (S.ATTENDANCE.includes(mark)) plan.attendance[pid] = mark
  // who changed a part: "part:person id" keys, as server/crdt/part_trace.py reads them
  /** @type {Record<string, string[]>} */
  const changed = {}
  for (const key of doc.getMap('changed_by').keys()) {
    const at = key.indexOf(':')
    const part = key.slice(0, at)
    if (at > 0 && at < key.length - 1 && PARTS.includes(part)) (changed[part] ??= []).push(key.slice(at + 1))
  }
  plan.changed_by = Object.fromEntries(PARTS.filter((p) => changed[p]).map((p) => [p, [...new Set(changed[p])].sort()]))
  plan.removed = []
  for (const list of S.LISTS) {
    const items = doc.getArray(list).toArray().filter((/** @type {any} */ m) => m instanceof Y.Map).map((/** @type {any} */ m) =>
      Object.fromEntries(Object.entries(S.ITEM_FIELDS[list]).map(([k, kind]) => [k, CAST[kind](m.get(k))])))
    plan[list] = items.filter((/** @type {any} */ item) => !item.removed_at)
    plan.removed.push(...items.filter((/** @type {any} */ item) => item.removed_at).map((/** @type {any} */ item) => ({ list, ...item })))
  }
  const goalIds = new Set(plan.goals.map((/** @type {any} */ g) => g.id))
  for (const a of plan.actions) if (!goalIds.has(a.goal_id)) a.goal_id = null
  return plan
}

/** @param {any} cmd */
function run (cmd) {
  const doc = new Y.Doc()
  if (cmd.client_id != null) doc.clientID = cmd.client_id
  for (const u of cmd.updates ?? (cmd.update ? [cmd.update] : [])) Y.applyUpdate(doc, bytes(u))
  const input = Y.encodeStateVector(doc)
  for (const e of cmd.edits ?? []) doc.transact(() => apply(doc, e))
  const delta = Y.encodeStateAsUpdate(doc, input)
  for (const u of cmd.merge ?? []) Y.applyUpdate(doc, bytes(u))
  return {
    update: b64(Y.encodeStateAsUpdate(doc)),
    delta: b64(delta),
    sv: b64(Y.encodeStateVector(doc)),
    json: extract(doc),
    meta: doc.getMap('meta').toJSON()
  }
}

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (!line.trim()) continue
  let result
  try { result = run(JSON.parse(line)) } catch (e) { result = { error: String(/** @type {any} */ (e)?.stack ?? e) } }
  process.stdout.write(JSON.stringify(result) + '\n')
}

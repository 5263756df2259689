/**
 * A stock Yjs 13 / y-websocket client for Rondetafel's Python tests.
 *
 * Usage: node tests/node/yclient.mjs CONFIG.json
 * CONFIG: {server, meeting, session, cookie, ops?, wait_for?, timeout_ms?}
 * stdout gets exactly one JSON line; diagnostics go to stderr.
 * Exit codes: 0 done, 1 error/timeout, 2 bad config, 3 closed by the server with a 44xx code.
 * ops: add_goal, add_action, set_owner, insert_text, set_awareness, and the generic set / insert /
 * delete / push at a path (see `at`).
 * Extras: "saved": true connects with ?saved=1 and, before printing, waits for the server's
 * SAVED (type 100) ack of every document message sent; wait_for.awareness_count = N waits for
 * N remote awareness states. "reconnect": {offline: ops, on_open: ops} then goes offline, makes
 * the offline ops, and reconnects, making the on_open ops the moment the socket opens: sent
 * before the server has the offline edits they build on, as a tablet typing through a Wi-Fi
 * gap does. YCLIENT_DEBUG=1 logs doc/awareness events to stderr.
 * The client never seeds the document; it only edits what the server sent.
 */
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const nm = resolve(here, '../../web/node_modules')
/** @param {string} p */
const load = (p) => import(pathToFileURL(resolve(nm, p)).href)
// The same files bare specifiers resolve to from inside web/node_modules (the "import"
// export condition), so yjs is loaded exactly once.
const Y = await load('yjs/dist/yjs.mjs')
const { WebsocketProvider } = await load('y-websocket/src/y-websocket.js')
const { WebSocket } = await load('ws/wrapper.mjs')
const decoding = await load('lib0/decoding.js')
const MESSAGE_SAVED = 100 // Rondetafel's own ack message, sent only when the URL has saved=1

const t0 = Date.now()
/** Diagnostics, to stderr only. @param {...any} a */
const log = (...a) => console.error('[yclient]', Date.now() - t0, ...a)
let finished = false

/** Print one JSON line (once) and exit after stdout flushed. @param {object} obj @param {number} code */
function finish (obj, code) {
  if (finished) return; finished = true
  try { provider.destroy() } catch (e) { log('destroy failed', e) }
  process.stdout.write(JSON.stringify(obj) + '\n', () => process.exit(code))
}

let cfg
try {
  cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'))
  for (const k of ['server', 'meeting', 'session', 'cookie']) if (!cfg[k]) throw new Error(`missing ${k}`)
} catch (e) {
  process.stdout.write(JSON.stringify({ error: `bad config: ${e.message}` }) + '\n')
  process.exit(2)
}
const deadline = Date.now() + (cfg.timeout_ms ?? 10000)

/** Per connection: document messages (sync step 2 / update) sent, and the server's SAVED count. */
const acks = { sent: 0, saved: 0 }
/** ws's WebSocket with the session cookie on the HTTP upgrade request; counts document frames. */
class CookieWebSocket extends WebSocket {
  /** @param {string} url @param {string[]} protocols */
  constructor (url, protocols) {
    super(url, protocols, { headers: { Cookie: cfg.cookie } })
    acks.sent = acks.saved = 0
  }
  /** @param {Uint8Array} data @param {...any} rest */
  send (data, ...rest) {
    if (data[0] === 0 && data[1] !== 0) acks.sent++
    super.send(data, ...rest)
  }
}

const doc = new Y.Doc()
const meta = doc.getMap('meta')
const people = doc.getMap('people')
const goals = doc.getArray('goals')
const actions = doc.getArray('actions')
const texts = Object.fromEntries(['vision', 'strengths', 'concerns', 'minutes'].map((f) => [f, doc.getText(f)]))

const provider = new WebsocketProvider(cfg.server + '/ws/meetings', cfg.meeting, doc, {
  WebSocketPolyfill: CookieWebSocket, disableBc: true, params: { as: cfg.session, ...(cfg.saved && { saved: '1' }) }
})
provider.messageHandlers[MESSAGE_SAVED] = (/** @type {any} */ _enc, /** @type {any} */ dec) => {
  acks.saved = decoding.readVarUint(dec)
}
let synced = false
/** @type {number[]} every close code seen (1006 = no close frame) */
const closes = []

/** Everything a test wants to compare. */
function snapshot () {
  const awareness = [...provider.awareness.getStates()].filter(([id]) => id !== doc.clientID).map(([, st]) => st)
  return {
    synced,
    doc_json: { meta: meta.toJSON(), goals: goals.toJSON(), actions: actions.toJSON(),
      vision: texts.vision.toString(), people_count: people.size },
    awareness,
    closes,
    ...(cfg.saved ? { acked: acks.saved >= acks.sent, sent: acks.sent, saved: acks.saved } : {})
  }
}

if (process.env.YCLIENT_DEBUG) {
  doc.on('update', () => log('doc update'))
  provider.awareness.on('change', (/** @type {any} */ c) => log('awareness', JSON.stringify(c)))
}
provider.on('connection-error', (/** @type {any} */ ev) => log('connection error', ev?.message ?? ev?.error?.message ?? ''))
provider.on('connection-close', (/** @type {any} */ ev) => {
  if (!ev) return // closed by ourselves
  log('socket closed', ev.code, ev.reason)
  closes.push(ev.code)
  const closed = { closed: ev.code, reason: ev.reason } // 44xx: y-websocket stops reconnecting
  if (ev.code >= 4400 && ev.code < 4500) finish(synced ? { ...snapshot(), ...closed } : closed, 3)
})

/** Resolve once `test()` holds, re-checked on doc updates and awareness changes. @param {() => boolean} test @param {string} what */
function until (test, what) {
  return new Promise((resolve) => {
    const check = () => {
      if (!test()) return
      doc.off('update', check); provider.awareness.off('change', check); provider.off('sync', check)
      clearTimeout(timer); resolve(undefined)
    }
    const timer = setTimeout(() => finish({ error: `timeout waiting for ${what}`, ...snapshot() }, 1),
      Math.max(0, deadline - Date.now()))
    doc.on('update', check); provider.awareness.on('change', check); provider.on('sync', check); check()
  })
}

/** @param {any} arr @param {string} id @return {any} */
const byId = (arr, id) => arr.toArray().find((/** @type {any} */ m) => m.get('id') === id)

const ROOT_TEXTS = ['vision', 'strengths', 'concerns', 'minutes']
const ROOT_LISTS = ['goals', 'actions', 'decisions']
/**
 * The shared type at `path`: a root name, then array indexes (negative: from the end) and
 * map keys, e.g. ['goals', 0, 'text'].
 * @param {(string|number)[]} path @return {any}
 */
function at (path) {
  const [root, ...rest] = path
  let node = ROOT_TEXTS.includes(String(root)) ? doc.getText(String(root))
    : ROOT_LISTS.includes(String(root)) ? doc.getArray(String(root)) : doc.getMap(String(root))
  for (const step of rest) {
    node = typeof step === 'number' ? node.get(step < 0 ? node.length + step : step) : node.get(step)
    if (node === undefined) throw new Error(`nothing at ${JSON.stringify(path)}`)
  }
  return node
}

/** @param {any} op */
function apply (op) {
  switch (op.op) {
    case 'add_goal': {
      const g = new Y.Map()
      for (const k of ['id', 'domain', 'author_id', 'author_role', 'score']) g.set(k, op[k] ?? null)
      g.set('text', new Y.Text(op.text ?? ''))
      g.set('professional_view', new Y.Text())
      goals.push([g])
      break
    }
    case 'add_action': {
      const a = new Y.Map()
      for (const k of ['id', 'goal_id', 'owner_id', 'due']) a.set(k, op[k] ?? null)
      a.set('text', new Y.Text(op.text ?? ''))
      a.set('evaluation', new Y.Text())
      a.set('status', 'open'); a.set('carried_from', null)
      actions.push([a])
      break
    }
    case 'set_owner':
      if (!byId(actions, op.action_id)) throw new Error(`no action ${op.action_id}`)
      byId(actions, op.action_id).set('owner_id', op.owner_id)
      break
    // generic edits, for the rights tests: set a key, insert or delete, push a new item
    case 'set':
      at(op.path).set(op.key, op.value)
      break
    case 'insert':
      at(op.path).insert(op.index ?? 0, op.text)
      break
    case 'delete': {
      const target = at(op.path)
      target.delete(op.index < 0 ? target.length + op.index : op.index, op.length ?? 1)
      break
    }
    case 'push': {
      const item = new Y.Map()
      for (const [k, v] of Object.entries(op.map ?? {})) item.set(k, v)
      for (const [k, v] of Object.entries(op.texts ?? {})) item.set(k, new Y.Text(v))
      at(op.path).push([item])
      break
    }
    case 'insert_text':
      if (!texts[op.field]) throw new Error(`unknown text field ${op.field}`)
      texts[op.field].insert(op.index ?? 0, op.text)
      break
    default: throw new Error(`unknown op ${op.op}`)
  }
}

/** wait_for: every given condition must hold. @param {any} w */
function holds (w) {
  if (w.goal_ids && !w.goal_ids.every((/** @type {string} */ id) => byId(goals, id))) return false
  if (w.vision_contains != null && !texts.vision.toString().includes(w.vision_contains)) return false
  if (w.action_owner && byId(actions, w.action_owner.id)?.get('owner_id') !== w.action_owner.owner_id) return false
  if (w.meta_status != null && meta.get('status') !== w.meta_status) return false
  // extra: at least this many remote awareness states
  if (w.awareness_count != null && provider.awareness.getStates().size - 1 < w.awareness_count) return false
  return true
}

/**
 * With "saved": wait (up to the deadline) until the server acked every document message.
 * Otherwise: until our frames left the socket, then for one incoming message or 300 ms.
 */
async function settle () {
  const pending = cfg.saved ? () => acks.saved < acks.sent : () => provider.ws.bufferedAmount > 0
  while (provider.ws && pending() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5))
  const ws = provider.ws
  if (cfg.saved || !ws) return
  await new Promise((resolve) => {
    const timer = setTimeout(done, 300)
    function done () { clearTimeout(timer); ws.off('message', done); resolve(undefined) }
    ws.once('message', done)
  })
}

/** @param {any[]} ops */
async function make (ops) {
  for (const op of ops) {
    try {
      op.op === 'set_awareness' ? provider.awareness.setLocalState(op.state) : doc.transact(() => apply(op))
    } catch (e) {
      finish({ error: `op ${JSON.stringify(op)} failed: ${e.message}`, ...snapshot() }, 1)
      await new Promise(() => {}) // finish() exits
    }
  }
}

await until(() => provider.synced, 'sync')
synced = true
log('synced; clientID', doc.clientID)
await make(cfg.ops ?? [])
if (cfg.reconnect) {
  await settle()
  provider.disconnect()
  await make(cfg.reconnect.offline ?? [])
  /** @param {{status: string}} event */
  const typing = ({ status }) => {
    if (status !== 'connected') return
    provider.off('status', typing)
    make(cfg.reconnect.on_open ?? []) // before y-websocket sends its sync step 1
  }
  provider.on('status', typing)
  provider.connect()
  await until(() => provider.synced, 'sync after reconnecting')
}
if (cfg.wait_for) await until(() => holds(cfg.wait_for), `wait_for ${JSON.stringify(cfg.wait_for)}`)
await settle()
finish(snapshot(), 0)

/**
 * A stock Yjs 13 / y-websocket client for Rondetafel's Python tests.
 *
 * Usage: node tests/node/yclient.mjs CONFIG.json
 * CONFIG: {server, meeting, session, cookie, ops?, wait_for?, timeout_ms?}
 * stdout gets exactly one JSON line; diagnostics go to stderr.
 * Exit codes: 0 done, 1 error/timeout, 2 bad config, 3 closed by the server with a 44xx code.
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

/** @param {...any} a */
const log = (...a) => console.error('[yclient]', ...a)

/** Print one JSON line and exit once stdout is flushed. @param {object} obj @param {number} code */
function finish (obj, code) {
  try { provider?.destroy() } catch (e) { log('destroy failed', e) }
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

/** ws's WebSocket with the session cookie on the HTTP upgrade request. */
class CookieWebSocket extends WebSocket {
  /** @param {string} url @param {string[]} protocols */
  constructor (url, protocols) {
    super(url, protocols, { headers: { Cookie: cfg.cookie } })
  }
}

const doc = new Y.Doc()
const meta = doc.getMap('meta')
const people = doc.getMap('people')
const goals = doc.getArray('goals')
const actions = doc.getArray('actions')
const texts = Object.fromEntries(['vision', 'strengths', 'concerns', 'minutes'].map((f) => [f, doc.getText(f)]))

const provider = new WebsocketProvider(cfg.server + '/ws/meetings', cfg.meeting, doc, {
  WebSocketPolyfill: CookieWebSocket, disableBc: true, params: { as: cfg.session }
})
let synced = false
/** @type {number[]} every close code seen (1006 = no close frame) */
const closes = []

/** Everything a test wants to compare. */
function snapshot () {
  const awareness = [...provider.awareness.getStates()]
    .filter(([id]) => id !== doc.clientID).map(([, state]) => state)
  return {
    synced,
    doc_json: {
      meta: meta.toJSON(), goals: goals.toJSON(), actions: actions.toJSON(),
      vision: texts.vision.toString(), people_count: people.size
    },
    awareness,
    closes
  }
}

provider.on('connection-error', (/** @type {any} */ ev) => log('connection error', ev?.message ?? ev?.error?.message ?? ''))
provider.on('connection-close', (/** @type {any} */ ev) => {
  if (!ev) return // closed by ourselves
  log('socket closed', ev.code, ev.reason)
  closes.push(ev.code)
  if (ev.code >= 4400 && ev.code < 4500) {
    finish(synced ? { ...snapshot(), closed: ev.code, reason: ev.reason } : { closed: ev.code, reason: ev.reason }, 3)
  }
})

/**
 * Resolve once `test()` is true, re-checking on every doc update and awareness change.
 * @param {() => boolean} test @param {string} what
 */
function until (test, what) {
  return new Promise((resolve) => {
    const check = () => {
      if (!test()) return
      doc.off('update', check); provider.awareness.off('change', check); provider.off('sync', check)
      clearTimeout(timer); resolve(undefined)
    }
    const timer = setTimeout(() => finish({ error: `timeout waiting for ${what}`, ...snapshot() }, 1),
      Math.max(0, deadline - Date.now()))
    doc.on('update', check); provider.awareness.on('change', check); provider.on('sync', check)
    check()
  })
}

/** @param {any} arr @param {string} id @return {any} */
const byId = (arr, id) => arr.toArray().find((/** @type {any} */ m) => m.get('id') === id)

/** @param {any} op */
function apply (op) {
  switch (op.op) {
    case 'add_goal': {
      const g = new Y.Map()
      for (const k of ['id', 'domain', 'author_id', 'author_role']) g.set(k, op[k] ?? null)
      g.set('text', new Y.Text(op.text ?? ''))
      g.set('score', op.score ?? null)
      g.set('professional_view', new Y.Text())
      goals.push([g])
      break
    }
    case 'add_action': {
      const a = new Y.Map()
      for (const k of ['id', 'goal_id', 'owner_id', 'due']) a.set(k, op[k] ?? null)
      a.set('text', new Y.Text(op.text ?? ''))
      a.set('status', 'open')
      a.set('evaluation', new Y.Text())
      a.set('carried_from', null)
      actions.push([a])
      break
    }
    case 'set_owner': {
      const a = byId(actions, op.action_id)
      if (!a) throw new Error(`no action ${op.action_id}`)
      a.set('owner_id', op.owner_id)
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

/** Wait until our frames left the socket, then for one incoming message or 300 ms. */
async function settle () {
  while (provider.ws && provider.ws.bufferedAmount > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  const ws = provider.ws
  if (!ws) return
  await new Promise((resolve) => {
    const timer = setTimeout(done, 300)
    function done () { clearTimeout(timer); ws.off('message', done); resolve(undefined) }
    ws.once('message', done)
  })
}

await until(() => provider.synced, 'sync')
synced = true
log('synced; clientID', doc.clientID)
for (const op of cfg.ops ?? []) {
  try {
    if (op.op === 'set_awareness') provider.awareness.setLocalState(op.state)
    else doc.transact(() => apply(op))
  } catch (e) {
    finish({ error: `op ${JSON.stringify(op)} failed: ${e.message}`, ...snapshot() }, 1)
    await new Promise(() => {}) // finish() exits
  }
}
if (cfg.wait_for) await until(() => holds(cfg.wait_for), `wait_for ${JSON.stringify(cfg.wait_for)}`)
await settle()
finish(snapshot(), 0)

/**
 * A load generator in Node for one crowded meeting (tests/bench/crowd.py drives it): the same
 * clients as loadgen.py — real Yjs docs typing into an action's text, presence moves, stock
 * awareness echoes, edit-to-peer latency keyed by (client, clock) — at a fraction of the
 * Python generator's CPU per frame, so that at 50 clients the last reader of an edit is not
 * mostly waiting for the generator itself.
 *
 * Usage: node tests/bench/crowd.mjs CONFIG.json
 * CONFIG: {endpoints: [{url, headers}], seed?: base64 (pushed by the first client: reference
 * servers start rooms empty), rate, presence_rate, warmup, duration, drain, split?, observe?}
 * split: one of two processes of the same meeting; it waits for 'go' on stdin once synced and
 * reports the edits it sent (key, time); observe: its clients (a few) type too, and report
 * every update's arrival instead of matching it, so that their reads wait for nobody's.
 * stdout: one JSON line per phase ({"phase": "synced" | "measuring" | "drain"}), then the
 * result ({"result": {...}}). Diagnostics go to stderr.
 */
import { dirname, resolve } from 'node:path'
import { readFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { performance } from 'node:perf_hooks'

const nm = resolve(dirname(fileURLToPath(import.meta.url)), '../../web/node_modules')
/** @param {string} p */
const load = (p) => import(pathToFileURL(resolve(nm, p)).href)
const Y = await load('yjs/dist/yjs.mjs')
const { WebSocket } = await load('ws/wrapper.mjs')
const encoding = await load('lib0/encoding.js')
const decoding = await load('lib0/decoding.js')

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const TYPED = 'abcdefghijklmnopqrstuvwxyz ë'
const FULL = 400 // characters of a field before a typist trims it (the gate allows 500)
const REMOTE = Symbol('remote')
const SYNC = 0; const AWARENESS = 1; const STEP1 = 0; const STEP2 = 1; const UPDATE = 2

const stats = {
  recording: false, edits: 0, expected: 0, deliveries: 0, framesIn: 0, framesOut: 0,
  awarenessIn: 0, echoes: 0, closes: /** @type {Record<string, number>} */ ({}),
  /** @type {number[]} */ latencies: [],
  /** @type {Map<string, number>} */ pending: new Map()
}
/** @type {Set<Client>} */
const synced = new Set()
/** One JSON line to stdout; resolves once it is written (a pipe is written asynchronously). */
const say = (/** @type {object} */ obj) =>
  new Promise((resolve) => process.stdout.write(JSON.stringify(obj) + '\n', resolve))
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms))
/** Milliseconds on CLOCK_MONOTONIC: one clock for every process of the machine. */
const clock = () => Number(process.hrtime.bigint()) / 1e6
/** Split runs: edits sent while recording, and (observers) every update's first arrival. */
const sentLog = /** @type {Array<[string, number]>} */ ([])
const arrivals = /** @type {Array<[number, string, number]>} */ ([])

/** (client, clock) of every struct group of a v1 update: one group is read from its header,
 * several (ours merges its authorship stamp into an edit, maybe first) are decoded by Yjs. */
function * updateKeys (/** @type {Uint8Array} */ update) {
  const d = decoding.createDecoder(update)
  const clients = decoding.readVarUint(d)
  if (clients === 1) {
    decoding.readVarUint(d) // structs
    yield `${decoding.readVarUint(d)}:${decoding.readVarUint(d)}`
  } else if (clients > 1) {
    const seen = new Set()
    for (const { id } of Y.decodeUpdate(update).structs) {
      if (!seen.has(id.client)) {
        seen.add(id.client)
        yield `${id.client}:${id.clock}`
      }
    }
  }
}

/** @param {number} type @param {number} sub @param {Uint8Array} payload */
function syncFrame (type, sub, payload) {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, type)
  encoding.writeVarUint(e, sub)
  encoding.writeVarUint8Array(e, payload)
  return encoding.toUint8Array(e)
}

/** @param {Array<[number, number, string]>} entries */
function awarenessFrame (entries) {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, entries.length)
  for (const [client, clock, state] of entries) {
    encoding.writeVarUint(inner, client)
    encoding.writeVarUint(inner, clock)
    encoding.writeVarString(inner, state)
  }
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, AWARENESS)
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
  return encoding.toUint8Array(e)
}

class Client {
  /** @param {{url: string, headers: Record<string, string>}} endpoint */
  constructor (endpoint) {
    this.doc = new Y.Doc()
    this.id = this.doc.clientID
    /** @type {Uint8Array[]} */
    this.local = []
    this.doc.on('update', (/** @type {Uint8Array} */ u, /** @type {any} */ origin) => {
      if (origin !== REMOTE) this.local.push(u)
    })
    /** @type {Map<number, number>} */
    this.known = new Map()
    this.clock = 0
    /** @type {Y.Text[]} */
    this.texts = []
    this.field = 0
    this.closed = false
    this.ws = new WebSocket(endpoint.url, { headers: endpoint.headers })
    this.ws.binaryType = 'nodebuffer'
    this.synced = new Promise((resolve, reject) => {
      this.ws.on('open', () => this.send(syncFrame(SYNC, STEP1, Y.encodeStateVector(this.doc))))
      this.ws.on('message', (/** @type {Buffer} */ data) => this.onFrame(data, clock(), resolve))
      this.ws.on('close', (/** @type {number} */ code) => {
        this.closed = true
        synced.delete(this)
        stats.closes[code] = (stats.closes[code] ?? 0) + 1
        reject(new Error(`closed ${code}`))
      })
      this.ws.on('error', (/** @type {Error} */ e) => reject(e))
    })
  }

  send (/** @type {Uint8Array} */ frame) {
    if (this.closed) return
    stats.framesOut++
    this.ws.send(frame)
  }

  sendLocal () {
    for (const u of this.local) this.send(syncFrame(SYNC, UPDATE, u))
    this.local = []
  }

  /** @param {Buffer} data @param {number} now @param {(v?: unknown) => void} onSynced */
  onFrame (data, now, onSynced) {
    stats.framesIn++
    const d = decoding.createDecoder(data)
    const type = decoding.readVarUint(d)
    if (type === SYNC) {
      const sub = decoding.readVarUint(d)
      const payload = decoding.readVarUint8Array(d)
      if (sub === UPDATE) {
        stats.deliveries++
        if (cfg.observe) {
          for (const key of updateKeys(payload)) arrivals.push([this.id, key, now])
          return
        }
        for (const key of updateKeys(payload)) {
          const sent = stats.pending.get(key)
          if (sent !== undefined) {
            if (!key.startsWith(`${this.id}:`)) stats.latencies.push(now - sent)
            break
          }
        }
      } else if (sub === STEP2) {
        Y.applyUpdate(this.doc, payload, REMOTE)
        this.findTexts()
        synced.add(this)
        onSynced()
      } else if (sub === STEP1) {
        this.send(syncFrame(SYNC, STEP2, Y.encodeStateAsUpdate(this.doc, payload)))
      }
    } else if (type === AWARENESS) {
      stats.awarenessIn++
      this.echo(decoding.readVarUint8Array(d))
    }
  }

  /** Like y-protocols: entries with a newer clock are applied, and sent on again. */
  echo (/** @type {Uint8Array} */ payload) {
    const d = decoding.createDecoder(payload)
    /** @type {Array<[number, number, string]>} */
    const newer = []
    for (let n = decoding.readVarUint(d); n > 0; n--) {
      const client = decoding.readVarUint(d)
      const clock = decoding.readVarUint(d)
      const state = decoding.readVarString(d)
      if (client !== this.id && clock > (this.known.get(client) ?? 0)) {
        this.known.set(client, clock)
        newer.push([client, clock, state])
      }
    }
    if (newer.length) {
      stats.echoes++
      this.send(awarenessFrame(newer))
    }
  }

  findTexts () {
    const actions = this.doc.getArray('actions')
    this.texts = actions.toArray().map((a) => a instanceof Y.Map ? a.get('text') : null)
      .filter((t) => t instanceof Y.Text)
    this.field = Math.floor(Math.random() * this.texts.length)
    this.pos = -1
  }

  edit () {
    if (!this.texts.length) return
    if (Math.random() < 0.02) { this.field = Math.floor(Math.random() * this.texts.length); this.pos = -1 }
    const text = this.texts[this.field]
    // this client's share of the field (it sees only the seed and its own typing)
    if (text.length > FULL / Math.max(synced.size, 10)) {
      this.local = []
      text.delete(0, Math.floor(text.length / 2))
      this.sendLocal()
      this.pos = -1
    }
    if (this.pos < 0 || this.pos > text.length) this.pos = text.length
    this.local = []
    text.insert(this.pos, TYPED[Math.floor(Math.random() * TYPED.length)])
    this.pos += 1
    for (const u of this.local) {
      const [key] = updateKeys(u)
      if (stats.recording && key) {
        const now = clock()
        stats.pending.set(key, now)
        if (cfg.split) sentLog.push([key, now])
        stats.expected += synced.size - 1
      }
      stats.edits += stats.recording ? 1 : 0
      this.send(syncFrame(SYNC, UPDATE, u))
    }
    this.local = []
  }

  presence () {
    this.clock++
    const state = JSON.stringify({ step: 2, editing: `actions:${this.field}`, cursor: this.pos })
    this.send(awarenessFrame([[this.id, this.clock, state]]))
  }

  /** @param {number} rate @param {number} presenceRate */
  run (rate, presenceRate) {
    const every = (/** @type {number} */ perSecond, /** @type {() => void} */ act) => {
      if (perSecond <= 0) return
      const next = (/** @type {number} */ factor) => setTimeout(() => {
        if (this.closed || stopped) return
        act()
        next(0.5 + Math.random())
      }, factor * 1000 / perSecond)
      next(Math.random())
    }
    every(rate, () => this.edit())
    every(presenceRate, () => this.presence())
  }
}

let stopped = false
const lags = /** @type {number[]} */ ([])
let tick = performance.now()
const lagTimer = setInterval(() => {
  const now = performance.now()
  lags.push(Math.max(0, now - tick - 50))
  tick = now
}, 50)

const pct = (/** @type {number[]} */ xs, /** @type {number} */ q) => {
  if (!xs.length) return null
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.round(q / 100 * (s.length - 1)))] // as loadgen.percentile
}

const clients = []
try {
  const first = new Client(cfg.endpoints[0])
  await first.synced
  if (cfg.seed) {
    Y.applyUpdate(first.doc, Buffer.from(cfg.seed, 'base64'))
    first.sendLocal()
    first.findTexts()
  }
  clients.push(first)
  for (let i = 1; i < cfg.endpoints.length; i += 10) {
    const batch = cfg.endpoints.slice(i, i + 10).map((ep) => new Client(ep))
    await Promise.all(batch.map((c) => c.synced))
    clients.push(...batch)
  }
} catch (e) {
  await say({ error: String(e), closes: stats.closes })
  process.exit(1)
}
say({ phase: 'synced', ids: clients.map((c) => c.id) })
if (cfg.split) { // the other process of the split connects now; both type on 'go'
  const { createInterface } = await import('node:readline')
  for await (const line of createInterface({ input: process.stdin })) if (line === 'go') break
}
for (const c of clients) c.run(cfg.rate, cfg.presence_rate)
await sleep(cfg.warmup * 1000)
const counted = () => [stats.deliveries, stats.framesIn, stats.framesOut, stats.awarenessIn]
const cpu0 = process.cpuUsage(); const t0 = performance.now(); const before = counted()
lags.length = 0
stats.recording = true
say({ phase: 'measuring' })
await sleep(cfg.duration * 1000)
stats.recording = false
const cpu = process.cpuUsage(cpu0); const seconds = (performance.now() - t0) / 1000
const [deliveries, framesIn, framesOut, awarenessIn] = counted().map((n, i) => n - before[i])
say({ phase: 'drain' })
// an observer matches nothing itself: it keeps listening for a second, the longest tail seen
const drain = cfg.observe ? 1000 : cfg.drain * 1000
for (let waited = 0; (cfg.observe || stats.latencies.length < stats.expected) && waited < drain; waited += 20) {
  await sleep(20)
}
stopped = true
clearInterval(lagTimer)
const latencies = stats.latencies
const connected = synced.size
const closes = { ...stats.closes } // before our own goodbyes count as closes
for (const c of clients) c.ws.terminate()
await say({
  result: {
    seconds,
    clients: connected,
    edits: stats.edits,
    expected: stats.expected,
    delivered: latencies.length,
    deliveries,
    frames_in: framesIn,
    frames_out: framesOut,
    awareness_in: awarenessIn,
    p50_ms: pct(latencies, 50),
    p99_ms: pct(latencies, 99),
    max_ms: latencies.reduce((a, b) => Math.max(a, b), -Infinity),
    gen_cpu: 100 * (cpu.user + cpu.system) / 1e6 / seconds,
    gen_lag_p99_ms: pct(lags, 99),
    closes,
    ...(cfg.split ? { sent: sentLog, arrivals } : {})
  }
})
process.exit(0)

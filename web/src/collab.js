// The live connection: one Yjs doc per meeting over y-websocket, plus the save state.
//
// Save state: the server counts the document messages it received on this socket and,
// once they are on disk, sends our own SAVED message (type 100) with that count. We count
// what we send, so "opgeslagen" means: everything this screen sent is on the server's disk.
// Edits made without a connection stay in the doc and go out with the next sync.
// A connection that goes quiet is found by the heartbeat (heartbeat.js) within 4 seconds.
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import * as decoding from 'lib0/decoding'
import { keepAlive } from './heartbeat.js'

const MESSAGE_SAVED = 100

/** @typedef {import('./types.js').SaveState} SaveState */

// Saving that takes longer than this means trouble on the server (a full disk, say): we say
// so instead of "saving…" forever. The edits stay here and go out when the server can store.
const STUCK_AFTER_MS = 5000

/**
 * @param {{meetingId: string, sessionId: string}} options
 * @returns {import('./types.js').Live}
 */
export function connect ({ meetingId, sessionId }) {
  const doc = new Y.Doc()
  const counts = { sent: 0, saved: 0 }
  /** @type {Set<(state: SaveState) => void>} */
  const listeners = new Set()
  /** @type {Set<(code: number) => void>} */
  const refusedListeners = new Set()
  let connected = false
  let everConnected = false
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let stuckTimer
  let stuck = false

  /** A WebSocket that counts our document messages (sync step 2 and updates). */
  class CountingSocket extends WebSocket {
    /**
     * @param {string | URL} url
     * @param {string | string[]} [protocols]
     */
    constructor (url, protocols) {
      super(url, protocols)
      counts.sent = counts.saved = 0 // the server counts per socket
    }

    /** @param {Parameters<WebSocket['send']>[0]} data the provider sends Uint8Arrays */
    send (data) {
      if (data instanceof Uint8Array && data[0] === 0 && (data[1] === 1 || data[1] === 2)) counts.sent++
      super.send(data)
    }
  }

  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  const provider = new WebsocketProvider(`${scheme}//${location.host}/ws/meetings`, meetingId, doc, {
    params: { as: sessionId, saved: '1' },
    disableBc: true, // the server is the only way between screens: it checks and stores
    WebSocketPolyfill: CountingSocket,
    maxBackoffTime: 1000 // back within a second of the network, not 2.5 s
  })
  const heartbeat = keepAlive(provider, () => emit(), () => counts.saved < counts.sent)
  provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder) => {
    counts.saved = decoding.readVarUint(decoder)
    emit()
  }

  /** @returns {SaveState} */
  const state = () => {
    // once connected, any loss is "not saved": what is typed now stays here until it is back
    if (!connected || heartbeat.lost()) return everConnected ? 'offline' : 'connecting'
    if (!provider.synced) return 'connecting'
    if (counts.saved >= counts.sent) return 'saved'
    return stuck ? 'stuck' : 'saving'
  }
  const emit = () => {
    const now = state()
    if (now === 'saving' && !stuckTimer) {
      stuckTimer = setTimeout(() => { stuck = true; emit() }, STUCK_AFTER_MS)
    } else if (now !== 'saving' && now !== 'stuck') {
      clearTimeout(stuckTimer)
      stuckTimer = undefined
      stuck = false
    }
    for (const listener of listeners) listener(now)
  }

  provider.on('status', ({ status }) => {
    connected = status === 'connected'
    if (connected) everConnected = true
    emit()
  })
  provider.on('sync', () => emit())
  // 44xx: the server refuses us (not signed in, not allowed); the provider stops retrying
  provider.on('closed', ({ code }) => {
    for (const listener of refusedListeners) listener(code)
  })
  doc.on('update', (_update, origin) => {
    if (origin === provider) return
    // the provider sends on the same tick; let it count before we report
    queueMicrotask(emit)
  })

  return {
    doc,
    provider,
    awareness: provider.awareness,
    /** @param {(state: SaveState) => void} listener */
    onSaveState (listener) { listeners.add(listener); listener(state()) },
    /** @param {(code: number) => void} listener */
    onRefused (listener) { refusedListeners.add(listener) },
    whenSynced: new Promise((resolve) => {
      if (provider.synced) resolve(undefined)
      else provider.once('sync', () => resolve(undefined))
    })
  }
}

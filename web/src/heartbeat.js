// The heartbeat: a lost connection shows within seconds, not after y-websocket's own
// 30-second watchdog (a tablet carried out of the wifi says nothing; its socket just goes quiet).
//
// Every PING_MS we ask the server for the presence list (y-websocket's QUERY_AWARENESS,
// message type 3, which the server answers to the sender only); every message that arrives
// counts as a sign of life. Silence for SILENT_MS means the connection is gone: we say so at
// once and start a fresh socket (y-websocket retries it with its back-off) instead of waiting
// for the dead one to close. The browser's own offline and online events act at once.
// Worst case from the last sign of life to "lost": SILENT_MS + CHECK_MS = 4 s.
// While our own edits wait to be saved, silence proves nothing: the server sends a socket's
// frames in order and holds them until what came before is on disk (a failing disk keeps it
// quiet); that case is collab.js's "stuck" (not saved, after 5 s), and the socket stays.

const MESSAGE_QUERY_AWARENESS = 3
export const PING_MS = 1500
export const SILENT_MS = 3500
const CHECK_MS = 500

/**
 * @param {import('y-websocket').WebsocketProvider} provider
 * @param {(lost: boolean) => void} onChange called when the connection is found lost or back
 * @param {() => boolean} waitingForSaved whether edits of ours wait for the server's "saved"
 * @returns {{lost: () => boolean}}
 */
export function keepAlive (provider, onChange, waitingForSaved) {
  let lost = false
  /** @param {boolean} now */
  const set = (now) => {
    if (lost === now) return
    lost = now
    onChange(lost)
  }
  /** A new socket now: the old one is dead or the network is back (no back-off wait). */
  const renew = () => { provider.disconnect(); provider.connect() }

  setInterval(() => {
    const ws = provider.ws
    if (ws && provider.wsconnected && ws.readyState === WebSocket.OPEN) {
      ws.send(new Uint8Array([MESSAGE_QUERY_AWARENESS]))
    }
  }, PING_MS)
  let openedAt = 0
  provider.on('status', (/** @type {{status: string}} */ { status }) => {
    if (status === 'connected') openedAt = Date.now()
  })
  setInterval(() => {
    if (!provider.wsconnected || !provider.shouldConnect || waitingForSaved()) return
    const now = Date.now()
    // quiet for too long; or open but never synced (its first messages were lost on the way)
    if (now - provider.wsLastMessageReceived > SILENT_MS || (!provider.synced && now - openedAt > 2 * SILENT_MS)) {
      set(true)
      renew()
    }
  }, CHECK_MS)
  provider.on('sync', (/** @type {boolean} */ synced) => { if (synced) set(false) })
  window.addEventListener('offline', () => {
    set(true)
    if (provider.shouldConnect) renew()
  })
  window.addEventListener('online', () => { if (provider.shouldConnect) renew() })
  return { lost: () => lost }
}

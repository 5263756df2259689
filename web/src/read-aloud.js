// Read aloud: a "Voorlezen" button beside a text a family member reads. It speaks pieces of
// text one after another, each in the language it was written in (a goal's `lang`; labels in
// the page's language): with the browser's own voice when it has one for that language,
// else with the server's (POST /api/families/{id}/read-aloud, the text in the body, never in
// the URL; MP3 back). One reading at a time on a page; pressing again stops it. Not on the
// shared screen: nobody taps it, and the room hears the people at the table.
import { h } from './dom.js'
import { t } from './messages.js'
import { csrfToken } from './session.js'

/** @typedef {{text: string, lang: string}} Piece a text and the language it is written in */
/** @typedef {{familyId: string, sessionId: string}} Reader whose plan, through which session */

/** The language of the page: labels are read in it, and text someone types is written in it. */
export const uiLanguage = () => document.documentElement.lang || 'nl'

/** @type {{button: HTMLButtonElement, stop: () => void} | null} the reading now */
let current = null
/** @type {Map<string, Promise<string>>} spoken text → object URL of its audio (this page) */
const heard = new Map()

/**
 * A "Voorlezen" button; `pieces` is asked when pressed (live text changes while the page is open).
 * @param {Reader} reader
 * @param {() => Piece[]} pieces
 * @param {string} what what it reads, for screen readers ("dit doel")
 * @returns {HTMLElement}
 */
export function readAloudButton (reader, pieces, what) {
  const button = h('button', { type: 'button', class: 'button read-aloud' })
  const status = h('span', { class: 'read-aloud-status', role: 'status' })
  wire(button, status, reader, pieces, what)
  return h('span', { class: 'read-aloud-box' }, button, status)
}

/**
 * Make a server-rendered <button data-read-aloud> read the [data-read] texts of its scope
 * (the element named by data-read-aloud, else its closest [data-read-scope]).
 * @param {ParentNode} root
 * @param {Reader} reader
 */
export function wireReadAloud (root, reader) {
  for (const button of /** @type {NodeListOf<HTMLButtonElement>} */ (root.querySelectorAll('button[data-read-aloud]'))) {
    const id = button.dataset.readAloud
    const scope = (id && document.getElementById(id)) || button.closest('[data-read-scope]') || document.body
    const status = h('span', { class: 'read-aloud-status', role: 'status' })
    button.after(status)
    wire(button, status, reader, () => piecesIn(scope), button.dataset.what || '')
    button.hidden = false
  }
}

/**
 * The texts to read inside `scope`, in page order, each in the language of its element.
 * @param {Element} scope
 * @returns {Piece[]}
 */
export function piecesIn (scope) {
  return [...scope.querySelectorAll('[data-read]')].map((el) => ({
    text: el.textContent || '',
    lang: el.closest('[lang]')?.getAttribute('lang') || uiLanguage()
  }))
}

/**
 * @param {HTMLButtonElement} button
 * @param {HTMLElement} status
 * @param {Reader} reader
 * @param {() => Piece[]} pieces
 * @param {string} what
 */
function wire (button, status, reader, pieces, what) {
  // Chrome lists its voices only after a first ask: ask now, so the first press finds them
  if ('speechSynthesis' in window) window.speechSynthesis.getVoices()
  const idle = () => {
    button.replaceChildren(h('span', { class: 'read-aloud-icon', 'aria-hidden': 'true' }, '🔊'), ' ', t('voice.read'))
    button.setAttribute('aria-label', what ? t('voice.read_this', { what }) : t('voice.read'))
    button.classList.remove('reading')
  }
  idle()
  button.addEventListener('click', async () => {
    const mine = current?.button === button
    current?.stop()
    if (mine) return
    const controller = new AbortController()
    const reading = { button, stop: () => controller.abort() }
    current = reading
    button.replaceChildren(h('span', { class: 'read-aloud-icon', 'aria-hidden': 'true' }, '■'), ' ', t('voice.stop'))
    button.setAttribute('aria-label', t('voice.stop'))
    button.classList.add('reading')
    status.textContent = t('voice.reading')
    performance.mark('read-aloud-press')
    try {
      await readAll(reader, pieces().filter((p) => p.text.trim()), controller.signal)
      status.textContent = controller.signal.aborted ? '' : t('voice.done')
    } catch (exc) {
      status.textContent = controller.signal.aborted ? '' : t('voice.failed')
      if (!controller.signal.aborted) console.warn('read aloud', exc)
    } finally {
      if (current === reading) current = null
      idle()
    }
  })
}

/**
 * Speak `pieces` in order; the server's audio for the next one is asked while one plays.
 * @param {Reader} reader
 * @param {Piece[]} pieces
 * @param {AbortSignal} signal
 */
async function readAll (reader, pieces, signal) {
  /** @type {(Promise<string> | null)[]} */
  const audio = pieces.map(() => null)
  const fetchAt = (/** @type {number} */ i) => {
    if (i < pieces.length && !audio[i] && !browserVoice(pieces[i].lang)) audio[i] = serverAudio(reader, pieces[i])
    audio[i]?.catch(() => {}) // awaited in its turn; a failure ahead must not go unhandled
  }
  for (let i = 0; i < pieces.length && !signal.aborted; i++) {
    fetchAt(i)
    fetchAt(i + 1)
    const voice = browserVoice(pieces[i].lang)
    const url = audio[i]
    if (voice) await speakHere(pieces[i], voice, signal)
    else if (url) await play(await url, signal)
  }
}

/**
 * The browser's voice for a language, if it has one (headless Chromium has none).
 * @param {string} lang
 * @returns {SpeechSynthesisVoice | undefined}
 */
function browserVoice (lang) {
  if (!('speechSynthesis' in window)) return undefined
  const want = lang.toLowerCase()
  const voices = window.speechSynthesis.getVoices()
  return voices.find((v) => v.lang.toLowerCase() === want)
    || voices.find((v) => v.lang.toLowerCase().split('-')[0] === want.split('-')[0])
}

/**
 * @param {Piece} piece
 * @param {SpeechSynthesisVoice} voice
 * @param {AbortSignal} signal
 * @returns {Promise<void>}
 */
function speakHere (piece, voice, signal) {
  return new Promise((resolve, reject) => {
    const utterance = new SpeechSynthesisUtterance(piece.text)
    utterance.voice = voice
    utterance.lang = voice.lang
    utterance.rate = 0.9 // a little slower than usual: for people who read with effort
    utterance.onstart = () => performance.mark('read-aloud-first-audio')
    utterance.onend = () => resolve()
    utterance.onerror = (event) => (event.error === 'interrupted' || event.error === 'canceled' ? resolve() : reject(new Error(event.error)))
    signal.addEventListener('abort', () => window.speechSynthesis.cancel(), { once: true })
    window.speechSynthesis.speak(utterance)
  })
}

/**
 * The server's audio of a piece, as an object URL (asked once per page).
 * @param {Reader} reader
 * @param {Piece} piece
 * @returns {Promise<string>}
 */
function serverAudio (reader, piece) {
  const key = `${piece.lang}\n${piece.text}`
  let url = heard.get(key)
  if (!url) {
    url = (async () => {
      const path = `/api/families/${encodeURIComponent(reader.familyId)}/read-aloud?as=${encodeURIComponent(reader.sessionId)}`
      const ask = () => fetch(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken() },
        body: JSON.stringify({ text: piece.text, lang: piece.lang })
      })
      let response = await ask()
      if (response.status === 404) {
        // words typed a moment ago may not have reached the server yet: it reads only what
        // is in the plan, so ask once more when they have
        await new Promise((resolve) => setTimeout(resolve, 1000))
        response = await ask()
      }
      if (!response.ok) throw new Error(`read aloud: ${response.status}`)
      return URL.createObjectURL(await response.blob())
    })()
    url.catch(() => heard.delete(key)) // a failure is not kept: the next press asks again
    heard.set(key, url)
  }
  return url
}

/** One <audio> for the page: tests and the browser's media controls find it. */
function player () {
  let audio = /** @type {HTMLAudioElement | null} */ (document.querySelector('audio[data-read-aloud-audio]'))
  if (!audio) {
    audio = h('audio', { 'data-read-aloud-audio': true, preload: 'auto' })
    document.body.append(audio)
  }
  return audio
}

/**
 * Play audio at `url` to its end, or until `signal` aborts.
 * @param {string} url
 * @param {AbortSignal} signal
 * @returns {Promise<void>}
 */
function play (url, signal) {
  const audio = player()
  return new Promise((resolve, reject) => {
    const done = () => { audio.onended = audio.onerror = audio.onplaying = null; resolve() }
    audio.onplaying = () => { performance.mark('read-aloud-first-audio'); audio.onplaying = null }
    audio.onended = done
    audio.onerror = () => reject(new Error('audio'))
    signal.addEventListener('abort', () => { audio.pause(); done() }, { once: true })
    audio.src = url
    audio.play().catch(reject)
  })
}

/**
 * The words of a live list item (a goal, an action, a decision), in the language they were
 * written in (its `lang`; none: Dutch); each after its label, if it has one, in the page's.
 * @param {import('./types.js').Item} item
 * @param {[string, string | null][]} fields the item's text fields, each with its label
 * @returns {Piece[]}
 */
export function itemPieces (item, fields) {
  const lang = String(item.get('lang') || 'nl')
  return fields.flatMap(([key, label]) => {
    const words = String(item.get(key) ?? '')
    if (!words.trim()) return []
    return [...(label ? [{ text: label, lang: uiLanguage() }] : []), { text: words, lang }]
  })
}

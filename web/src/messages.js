// The message catalogue for the browser: the same Fluent files the server renders from
// (web/messages/<lang>/<section>.ftl), read with @fluent/bundle. A key is "section.rest":
// t('meeting.save.saved') is the message save-saved of meeting.ftl (server/messages.py says
// the mapping). The page's language is <html lang>, which the server set.
import { FluentBundle, FluentNumber, FluentResource } from '@fluent/bundle'
import sources from 'virtual:catalogue'

export const DEFAULT_LANGUAGE = 'nl'

/** @type {Map<string, {bundle: FluentBundle, ids: string[]}>} */
const loaded = new Map()

/** The page's language, when the catalogue has it (else Dutch). */
export function pageLanguage () {
  const lang = globalThis.document?.documentElement.lang ?? DEFAULT_LANGUAGE
  return sources[lang] ? lang : DEFAULT_LANGUAGE
}

/**
 * An ISO date as people read it in the page's language ("2 december 2026", "December 2, 2026";
 * with `weekday`, "woensdag 2 december 2026"), with the digits the server's Babel dates use
 * (Latin), so both halves of a page agree.
 * @param {string} iso
 * @param {{weekday?: boolean}} [options]
 */
export function readableDate (iso, options = {}) {
  const date = new Date(`${iso}T12:00:00`)
  const format = /** @type {Intl.DateTimeFormatOptions} */ ({
    weekday: options.weekday ? 'long' : undefined, day: 'numeric', month: 'long', year: 'numeric', numberingSystem: 'latn'
  })
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString(pageLanguage(), format)
}

/**
 * Right to left? From Intl (Chromium has textInfo), so a new language needs no list here.
 * @param {string} lang
 */
export function isRightToLeft (lang) {
  /** @type {any} */
  const locale = new Intl.Locale(lang)
  const info = typeof locale.getTextInfo === 'function' ? locale.getTextInfo() : locale.textInfo
  return info?.direction === 'rtl'
}

/**
 * One section of one language, parsed once.
 * @param {string} lang
 * @param {string} section
 */
function section (lang, section) {
  const name = `${lang}/${section}`
  let found = loaded.get(name)
  if (!found) {
    const source = sources[lang]?.[section]
    if (source === undefined) return undefined
    const resource = new FluentResource(source)
    // isolation marks only where the page runs right to left (as on the server)
    const bundle = new FluentBundle(lang, { useIsolating: isRightToLeft(lang) })
    bundle.addResource(resource)
    found = { bundle, ids: resource.body.map((message) => message.id) }
    loaded.set(name, found)
  }
  return found
}

/**
 * @param {string} key
 * @returns {[string, string]} the section and the message id
 */
function split (key) {
  const dot = key.indexOf('.')
  return [key.slice(0, dot), key.slice(dot + 1).replaceAll('.', '-')]
}

/**
 * The text for a dotted key in one language, e.g. tIn('nl', 'meeting.save.saved'); a key the
 * language lacks is shown in Dutch (the tests keep every folder complete).
 * @param {string} lang
 * @param {string} key
 * @param {Record<string, string|number>} [values]
 * @returns {string}
 */
export function tIn (lang, key, values) {
  const [name, id] = split(key)
  const bundle = section(lang, name)?.bundle
  const message = bundle?.getMessage(id)
  if (!bundle || !message?.value) {
    if (lang !== DEFAULT_LANGUAGE) return tIn(DEFAULT_LANGUAGE, key, values)
    throw new Error(`missing message ${key}`)
  }
  /** @type {Record<string, string|FluentNumber>} */
  const args = {}
  for (const [k, v] of Object.entries(values ?? {})) {
    // whole numbers plainly (no 1.000 in a code), still numbers for the plural forms
    args[k] = typeof v === 'number' ? new FluentNumber(v, { useGrouping: false }) : v
  }
  // a value the caller forgot shows as {$name} rather than break the page (as on the server)
  return bundle.formatPattern(message.value, args, [])
}

/**
 * The text for a dotted key in the page's language, e.g. t('meeting.you_are', {name, role}).
 * @type {import('./types.js').Translate}
 */
export function t (key, values) {
  return tIn(pageLanguage(), key, values)
}

/**
 * The second language of the page: the shared screen shows Dutch beside the family's language
 * (<html data-second-language="nl">, set by the server when the screen speaks another).
 * @returns {string|undefined}
 */
export function secondLanguage () {
  const second = globalThis.document?.documentElement.dataset.secondLanguage
  return second && second !== pageLanguage() && sources[second] ? second : undefined
}

/**
 * A label in the page's language and, on a shared screen with a second language, the same
 * words in Dutch beside it, so the coordinator and a parent can point at the same line.
 * @param {string} text the label in the page's language
 * @param {string} [second] the same label in the second language
 * @returns {string|Node}
 */
export function beside (text, second) {
  const lang = secondLanguage()
  if (!lang || second === undefined || second === text) return text
  const out = document.createDocumentFragment()
  const other = document.createElement('span')
  other.className = 'second-language'
  other.lang = lang
  other.dir = isRightToLeft(lang) ? 'rtl' : 'ltr'
  other.textContent = second
  out.append(text, other)
  return out
}

/**
 * t() with the second language beside it (see beside()).
 * @param {string} key
 * @param {Record<string, string|number>} [values]
 * @returns {string|Node}
 */
export function both (key, values) {
  const lang = secondLanguage()
  return beside(t(key, values), lang ? tIn(lang, key, values) : undefined)
}

/**
 * A group of texts as one value: 'meeting.agenda.steps' → [{title, help}, …] (numbered parts
 * become a list), 'meeting.rights.only' → {coordinator: …, other: …}.
 * @param {string} key
 * @param {string} [lang]
 * @returns {unknown}
 */
export function entry (key, lang = pageLanguage()) {
  const [name, id] = split(key)
  const ids = section(lang, name)?.ids.filter((m) => m.startsWith(`${id}-`)) ?? []
  if (ids.length === 0) {
    if (lang !== DEFAULT_LANGUAGE) return entry(key, DEFAULT_LANGUAGE)
    throw new Error(`missing message ${key}`)
  }
  /** @type {Record<string, any>} */
  const root = {}
  for (const m of ids) {
    const parts = m.slice(id.length + 1).split('-')
    let node = root
    for (const part of parts.slice(0, -1)) node = node[part] ??= {}
    node[parts[parts.length - 1]] = tIn(lang, `${name}.${m.replaceAll('-', '.')}`)
  }
  return listed(root)
}

/**
 * @param {any} node
 * @returns {any}
 */
function listed (node) {
  if (typeof node !== 'object') return node
  const keys = Object.keys(node)
  if (keys.every((k) => /^\d+$/.test(k))) return keys.map(Number).sort((a, b) => a - b).map((k) => listed(node[k]))
  return Object.fromEntries(keys.map((k) => [k, listed(node[k])]))
}

/**
 * What a caught error says, for a "Dat lukte niet: {message}" text (ours carry the server's words).
 * @param {unknown} exc
 * @returns {string}
 */
export function errorMessage (exc) {
  return exc instanceof Error ? exc.message : ''
}

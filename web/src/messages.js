// The message catalogue for the browser: the same JSON files the server renders from
// (web/messages/<lang>/), flattened to "section.key" and filled with {placeholders}.
import common from '../messages/nl/common.json'
import meeting from '../messages/nl/meeting.json'
import session from '../messages/nl/session.json'
import voice from '../messages/nl/voice.json'

/** @type {Record<string, any>} */
const catalogue = { common, meeting, session, voice }

/**
 * The catalogue's entry at a dotted key as it is: a text, or a list such as the agenda steps.
 * @param {string} key
 * @returns {unknown}
 */
export function entry (key) {
  /** @type {any} */
  let node = catalogue
  for (const part of key.split('.')) {
    node = node?.[part]
    if (node === undefined) throw new Error(`missing message ${key}`)
  }
  return node
}

/**
 * The text for a dotted key, e.g. t('meeting.save.saved') or t('meeting.you_are', {name}).
 * @type {import('./types.js').Translate}
 */
export function t (key, values) {
  const text = entry(key)
  if (typeof text !== 'string') throw new Error(`message ${key} is not a text`)
  if (!values) return text
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''))
}

/**
 * What a caught error says, for a "Dat lukte niet: {message}" text (ours carry the server's Dutch).
 * @param {unknown} exc
 * @returns {string}
 */
export function errorMessage (exc) {
  return exc instanceof Error ? exc.message : ''
}

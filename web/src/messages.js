// The message catalogue for the browser: the same JSON files the server renders from
// (web/messages/<lang>/), flattened to "section.key" and filled with {placeholders}.
import common from '../messages/nl/common.json'
import meeting from '../messages/nl/meeting.json'
import session from '../messages/nl/session.json'

/** @type {Record<string, any>} */
const catalogue = { common, meeting, session }

/**
 * The text for a dotted key, e.g. t('meeting.save.saved') or t('meeting.you_are', {name}).
 * @param {string} key
 * @param {Record<string, string|number>} [values]
 * @returns {any}
 */
export function t (key, values) {
  let node = catalogue
  for (const part of key.split('.')) {
    node = node?.[part]
    if (node === undefined) throw new Error(`missing message ${key}`)
  }
  if (!values || typeof node !== 'string') return node
  return node.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''))
}

// Who may write what in the meeting document, and the limits: the browser's copy.
// Mirrors server/crdt/rights.py (the server enforces it: a refused update closes the socket
// with 4422); tests/crdt/test_rights_js.py checks that both agree. The page uses it to show
// each field writable only to who may write it, and each limit before it is reached.
import { TEXT_LANGS } from './schema.js'

/**
 * @typedef {{ kind: string, writers: string[], limit: number, author_too: boolean,
 *   appenders: string[] }} FieldRights
 */

/**
 * @param {string} kind
 * @param {string[]} writers roles that may write the field
 * @param {number} limit characters, for texts
 * @param {boolean} [authorToo] the item's author may write it too
 * @param {string[]} [appenders] roles that may only add to the text
 * @returns {FieldRights}
 */
const f = (kind, writers, limit, authorToo = false, appenders = []) =>
  ({ kind, writers, limit, author_too: authorToo, appenders })

/** top-level texts */
export const TEXTS = {
  vision: f('text', ['coordinator', 'family', 'network'], 5000),
  strengths: f('text', ['coordinator', 'family', 'network'], 5000),
  concerns: f('text', ['coordinator', 'family', 'network'], 5000, false, ['professional']),
  minutes: f('text', ['coordinator'], 20000)
}

/** meta: key → field */
export const META = {
  title: f('str', ['coordinator'], 200),
  status: f('str', [], 200),
  agenda_step: f('step', ['coordinator'], 200),
  next_meeting: f('date', ['coordinator'], 200),
  // a text's language (schema.js TEXT_LANGS): set by the page of whoever gives the empty text
  // its first words, and a professional's added concerns may be those first words
  ...Object.fromEntries(Object.entries(TEXTS).map(([text, spec]) =>
    [TEXT_LANGS[text], f('lang', [...spec.writers, ...spec.appenders].sort(), 200)]))
}

/** contacts: life domain → person id */
export const CONTACT = f('id', ['coordinator'], 200)

/** attendance: person id → how they take part (schema.js ATTENDANCE); the coordinator marks it */
export const ATTENDANCE_MARK = f('attendance', ['coordinator'], 200)

/** people: written by the server only */
/** @type {string[]} */
export const PEOPLE = []

/**
 * The trace fields of every list item (rights.py `_trace`).
 * @param {string[]} removers roles that may remove the item (set `removed_at`)
 */
const trace = (removers) => ({
  changed_by: f('id', [], 200),
  removed_at: f('date', removers, 200),
  removed_by: f('id', [], 200)
})

/** lists: who adds, who removes (sets `removed_at`: nobody deletes outright), how many, each field */
export const LISTS = {
  goals: {
    adders: ['coordinator', 'family', 'network', 'professional'],
    removers: ['coordinator', 'family'],
    max_items: 100,
    fields: {
      id: f('id', [], 200),
      text: f('text', ['coordinator', 'family'], 500, true),
      domain: f('domain', ['coordinator', 'family'], 200, true),
      author_id: f('id', [], 200),
      author_role: f('str', [], 200),
      score: f('score', ['coordinator', 'family'], 200, true),
      professional_view: f('text', ['coordinator', 'professional'], 2000),
      last_score: f('score', [], 200),
      lang: f('lang', ['coordinator', 'family'], 200, true),
      ...trace(['coordinator', 'family'])
    }
  },
  actions: {
    adders: ['coordinator', 'family', 'network', 'professional'],
    removers: ['coordinator'],
    max_items: 300,
    fields: {
      id: f('id', [], 200),
      goal_id: f('id', ['coordinator', 'family', 'network', 'professional'], 200),
      text: f('text', ['coordinator', 'family', 'network', 'professional'], 500),
      owner_id: f('id', ['coordinator', 'family', 'network', 'professional'], 200),
      due: f('date', ['coordinator', 'family', 'network', 'professional'], 200),
      status: f('status', ['coordinator', 'family', 'network', 'professional'], 200),
      evaluation: f('text', ['coordinator', 'family', 'network', 'professional'], 2000),
      carried_from: f('int', [], 200),
      author_id: f('id', [], 200),
      author_role: f('str', [], 200),
      last_status: f('str', [], 200),
      last_evaluation: f('str', [], 200),
      lang: f('lang', ['coordinator', 'family', 'network', 'professional'], 200),
      ...trace(['coordinator'])
    }
  },
  decisions: {
    adders: ['coordinator', 'professional'],
    removers: ['coordinator'],
    max_items: 50,
    fields: {
      id: f('id', [], 200),
      text: f('text', ['coordinator', 'professional'], 2000),
      reason: f('text', ['coordinator', 'professional'], 2000),
      options: f('text', ['coordinator', 'professional'], 2000),
      decided_by: f('id', [], 200),
      lifted_at: f('date', ['coordinator', 'professional'], 200),
      lifted_by: f('id', [], 200),
      lang: f('lang', ['coordinator', 'professional'], 200),
      ...trace(['coordinator'])
    }
  }
}

/** stamped by the server on items a client creates: field → from the session */
export const STAMPS = {
  goals: { author_id: 'person_id', author_role: 'role' },
  actions: { author_id: 'person_id', author_role: 'role' },
  decisions: { decided_by: 'person_id' }
}

/** stamped when a client gives the first field a value: the second gets the sender's id */
export const SET_STAMPS = {
  goals: { removed_at: 'removed_by' },
  actions: { removed_at: 'removed_by' },
  decisions: { removed_at: 'removed_by', lifted_at: 'lifted_by' }
}

export const AGENDA_STEPS = 7

export const DOCUMENT_BYTES = 8388608

/**
 * Whether `role` (of person `personId`) may write `spec`; `item` is the list item (a Y.Map)
 * the field belongs to, for fields its author may write too.
 * @param {{writers: string[], author_too: boolean}} spec
 * @param {string} role @param {string} personId @param {any} [item]
 */
export function mayWrite (spec, role, personId, item) {
  return spec.writers.includes(role) || (spec.author_too && item?.get?.('author_id') === personId)
}

/** Everything above, compared with the server's rights.table(). */
export const TABLE = {
  meta: META,
  texts: TEXTS,
  contacts: CONTACT,
  attendance: ATTENDANCE_MARK,
  people: PEOPLE,
  lists: LISTS,
  stamps: STAMPS,
  set_stamps: SET_STAMPS,
  agenda_steps: AGENDA_STEPS,
  document_bytes: DOCUMENT_BYTES
}

// The JSDoc types more than one module uses, in one place. Nothing here runs: modules import
// them as `import('./types.js').Context` (from views: `import('../types.js').Context`).

/** @typedef {'coordinator'|'family'|'network'|'professional'|'screen'} Role */

/**
 * Who is at the table, as the server stamps it into our awareness state for the others
 * (`color` is only there on the stamped copies, not on our own).
 * @typedef {object} Identity
 * @property {string} person_id the person's id, or `screen-<session>` for a shared screen
 * @property {string} name
 * @property {string} role one of Role
 * @property {string} [color] `#rrggbb`
 */

/**
 * One screen's awareness state: what it sets itself (`step`) and what the server adds (`user`).
 * @typedef {object} AwarenessState
 * @property {Identity} [user]
 * @property {number} [step]
 */

/** @typedef {'connecting'|'saved'|'saving'|'stuck'|'offline'} SaveState */

/**
 * The live connection to one meeting's document (collab.js `connect`).
 * @typedef {object} Live
 * @property {import('yjs').Doc} doc
 * @property {import('y-websocket').WebsocketProvider} provider
 * @property {import('y-protocols/awareness').Awareness} awareness
 * @property {(listener: (state: SaveState) => void) => void} onSaveState called at once, then on each change
 * @property {(listener: (code: number) => void) => void} onRefused a close code the provider does not retry
 * @property {Promise<void>} whenSynced the server's copy of the document is here
 */

/**
 * The JSON API call of the meeting page: this page's session and CSRF token added; rejects with
 * the server's Dutch message.
 * @typedef {(path: string, init?: RequestInit) => Promise<any>} Api
 */

/**
 * What every view of the meeting gets.
 * @typedef {object} Context
 * @property {import('yjs').Doc} doc
 * @property {string} meetingId
 * @property {string} familyId
 * @property {string} personId
 * @property {string} role one of Role
 * @property {boolean} canWrite
 * @property {Map<string, number|null>} lastScores goal id → score in the last plan version
 * @property {Api} api
 * @property {import('./read-aloud.js').Reader} reader for the Voorlezen buttons
 */

/**
 * What the meeting page starts from: #app's data attributes (templates/meeting.html), read.
 * @typedef {object} MeetingOptions
 * @property {string} meetingId
 * @property {string} familyId
 * @property {string} sessionId
 * @property {string} personId '' for the shared screen
 * @property {string} name
 * @property {string} role one of Role
 * @property {Map<string, number|null>} lastScores goal id → score in the last plan version
 */

/**
 * A text from the message catalogue (messages.js `t`), {placeholders} filled from `values`.
 * @typedef {(key: string, values?: Record<string, string|number>) => string} Translate
 */

/** @typedef {(message: string) => void} Announce a polite message for screen readers */

/** @typedef {{title: string, help: string}} AgendaStep one entry of meeting.agenda.steps */

// The list items of the document (schema.js ITEM_FIELDS): Y.Maps whose values are strings,
// numbers, null or (the "text" fields) Y.Text. Yjs types a Y.Map by one value type, so these
// name the shape for the reader; the fields are listed in schema.js.

/** @typedef {import('yjs').Map<any>} Goal id, text, domain, author_id, author_role, score, professional_view */
/** @typedef {import('yjs').Map<any>} Action id, goal_id, text, owner_id, due, status, evaluation, carried_from */
/** @typedef {import('yjs').Map<any>} Decision id, text, reason, options, decided_by */
/** @typedef {import('yjs').Map<any>} Person name, role, relation, organisation, offers (schema.js PERSON_FIELDS) */
/** @typedef {import('yjs').Map<any>} Item any of the above */

export {}

/**
 * The updates a stock Yjs 13 client sends for the edits the meeting page makes, for
 * tests/crdt/test_update_format.py: every one must pass server/crdt/update_format.py.
 *
 * stdin: base64 of the seeded meeting document (what the server stores first).
 * stdout: JSON {name: [base64 update, ...]}, names in the order the updates were made: the
 * page's session first (until "sync step 2"), later the same session without gc ("no gc: …").
 * Text fields and selects are driven through the page's own bindText/bindField
 * (web/src/bind-text.js) on a stand-in element; list items are pushed the way
 * web/src/views/{goals,actions,contacts}.js push them.
 */
import { dirname, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
/** @param {string} p */
const load = (p) => import(pathToFileURL(resolve(here, '../..', p)).href)
const Y = await load('web/node_modules/yjs/dist/yjs.mjs')
const { bindText, bindField } = await load('web/src/bind-text.js')

/** @param {Uint8Array} u8 */
const b64 = (u8) => Buffer.from(u8).toString('base64')
let input = ''
for await (const chunk of process.stdin) input += chunk
const base = new Uint8Array(Buffer.from(input.trim(), 'base64'))

globalThis.document = { activeElement: null }
/** A stand-in for a <textarea>/<input>/<select>: what bindText and bindField touch. */
function element () {
  /** @type {Record<string, Array<() => void>>} */
  const listeners = {}
  return {
    value: '',
    selectionStart: 0,
    selectionEnd: 0,
    /** @param {string} type @param {() => void} fn */
    addEventListener (type, fn) { (listeners[type] ??= []).push(fn) },
    setSelectionRange () {},
    toggleAttribute () {},
    /** The user changes the value; the browser fires the event. @param {string} value */
    enter (value, type = 'input') {
      this.value = value
      for (const fn of listeners[type] ?? []) fn()
    }
  }
}

/** @type {Record<string, string[]>} */
const out = {}
/** Record every update `doc` emits while `edit` runs, under `name`. */
function recordAs (/** @type {any} */ doc, /** @type {string} */ name, /** @type {() => void} */ edit) {
  const list = (out[name] ??= [])
  /** @param {Uint8Array} u */
  const on = (u) => list.push(b64(u))
  doc.on('update', on)
  edit()
  doc.off('update', on)
}

/** @param {any} yarray @param {string} id */
const find = (yarray, id) => yarray.toArray().find((/** @type {any} */ m) => m.get('id') === id)

/**
 * One screen's session on the meeting: the edits a person makes, keystroke by keystroke.
 * @param {any} doc @param {string} prefix of the names its updates are recorded under
 */
function session (doc, prefix = '') {
  /** @param {any} doc @param {string} name @param {() => void} edit */
  const record = (doc, name, edit) => recordAs(doc, prefix + name, edit)
  Y.applyUpdate(doc, base)
  const minutes = element()
  bindText(doc.getText('minutes'), minutes)
  record(doc, 'typing', () => {
    for (const ch of [...' Zoë belt 📞 om 10:00; coördinator geëvalueerd 会议 e\u0301 👨‍👩‍👧']) {
      minutes.enter(minutes.value + ch)
    }
    minutes.enter(minutes.value.slice(0, 3) + 'X' + minutes.value.slice(3)) // caret moved back
  })
  record(doc, 'backspace', () => {
    for (let i = 0; i < 3; i++) minutes.enter(minutes.value.slice(0, -1))
  })
  record(doc, 'replace selection', () => minutes.enter(minutes.value.slice(0, 5) + 'ü' + minutes.value.slice(9)))
  const concerns = element()
  bindText(doc.getText('concerns'), concerns)
  // the longest field at its longest: 20,000 characters, the worst case for UTF-8 (4 bytes each)
  record(doc, 'paste', () => concerns.enter(concerns.value + '😀'.repeat(20_000)))
  record(doc, 'cut', () => concerns.enter(''))

  const goals = doc.getArray('goals')
  record(doc, 'add goal', () => goals.push([new Y.Map(Object.entries({
    id: 'doel-node',
    text: new Y.Text('Daan gaat naar school 🏫'),
    domain: null,
    author_id: 'p1',
    author_role: 'family',
    score: null,
    professional_view: new Y.Text()
  }))]))
  const goal = find(goals, 'doel-node')
  const goalText = element()
  bindText(goal.get('text'), goalText)
  record(doc, 'goal text', () => {
    for (const ch of ' elke dag') goalText.enter(goalText.value + ch)
  })
  const view = element()
  bindText(goal.get('professional_view'), view)
  record(doc, 'professional view', () => view.enter('Zorg: geëvalueerd'))
  record(doc, 'score', () => { goal.set('score', 7); goal.set('score', 0) })
  const domain = element()
  bindField(goal, 'domain', domain)
  record(doc, 'domain', () => domain.enter('onderwijs', 'change'))

  const actions = doc.getArray('actions')
  record(doc, 'add action', () => actions.push([new Y.Map(Object.entries({
    id: 'actie-node',
    goal_id: null,
    text: new Y.Text('Oma belt de school'),
    owner_id: null,
    due: null,
    status: 'open',
    evaluation: new Y.Text(),
    carried_from: null
  }))]))
  const action = find(actions, 'actie-node')
  const due = element()
  bindField(action, 'due', due)
  record(doc, 'due date', () => { due.enter('2027-02-01', 'change'); due.enter('', 'change') })
  const status = element()
  bindField(action, 'status', status)
  record(doc, 'status', () => status.enter('done', 'change'))
  const owner = element()
  bindField(action, 'owner_id', owner)
  record(doc, 'owner', () => owner.enter('p2', 'change'))

  const decisions = doc.getArray('decisions')
  record(doc, 'add decision', () => decisions.push([new Y.Map(Object.entries({
    id: 'besluit-node',
    text: new Y.Text(),
    reason: new Y.Text(),
    options: new Y.Text(),
    decided_by: 'p1'
  }))]))
  const reason = element()
  bindText(find(decisions, 'besluit-node').get('reason'), reason)
  record(doc, 'decision reason', () => reason.enter('Veiligheid'))

  const contacts = doc.getMap('contacts')
  record(doc, 'contacts', () => { contacts.set('onderwijs', 'p1'); contacts.delete('onderwijs') })
  record(doc, 'agenda step', () => doc.getMap('meta').set('agenda_step', 3))
  record(doc, 'next meeting', () => doc.getMap('meta').set('next_meeting', '2027-03-01'))
  record(doc, 'remove action', () => actions.delete(actions.toArray().indexOf(action), 1))
  record(doc, 'remove goal', () => goals.delete(goals.toArray().indexOf(goal), 1))
}

const seeded = new Y.Doc()
Y.applyUpdate(seeded, base)
const page = new Y.Doc() // gc on, as in the browser
session(page)
const sent = Object.values(out).flat() // in the order they were sent
out['sync step 2'] = [b64(Y.encodeStateAsUpdate(page, Y.encodeStateVector(seeded)))]
out['full state'] = [b64(Y.encodeStateAsUpdate(page))]
out['fresh client step 2'] = [b64(Y.encodeStateAsUpdate(new Y.Doc(), Y.encodeStateVector(seeded)))]
const bytes = sent.map((s) => new Uint8Array(Buffer.from(s, 'base64')))
out['merged'] = [b64(Y.mergeUpdates(bytes))]
out['diff'] = [b64(Y.diffUpdate(Y.mergeUpdates(bytes), Y.encodeStateVector(seeded)))]

// A client that missed one update holds the later ones as pending; its sync step 2 merges
// them in, with a Skip struct where the missing one goes.
const late = new Y.Doc()
Y.applyUpdate(late, base)
bytes.forEach((u, i) => { if (i !== 2) Y.applyUpdate(late, u) })
late.getText('vision').insert(0, 'Laat: ')
out['pending step 2'] = [b64(Y.encodeStateAsUpdate(late, Y.encodeStateVector(seeded)))]

// Without gc, deleted content stays as ContentDeleted and deleted types keep their items.
const nogc = new Y.Doc({ gc: false })
session(nogc, 'no gc: ')
out['full state without gc'] = [b64(Y.encodeStateAsUpdate(nogc))]

// Two screens typing at once: each applies the other's updates.
const other = new Y.Doc()
Y.applyUpdate(other, base)
recordAs(other, 'concurrent', () => {
  other.getText('minutes').insert(0, 'Fatima: ')
  Y.applyUpdate(other, Y.encodeStateAsUpdate(page))
  other.getText('minutes').insert(4, 'ë')
})
out['concurrent full state'] = [b64(Y.encodeStateAsUpdate(other))]
process.stdout.write(JSON.stringify(out) + '\n')

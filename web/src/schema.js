// The meeting document's shape: the one place in the browser that knows its names.
// Mirrors server/crdt/schema.py; tests/test_schema.py checks that both agree.

/** Top-level Y.Text fields. */
export const TEXTS = ['vision', 'strengths', 'concerns', 'minutes']
/**
 * meta's key for the language each text was written in (a BCP 47 tag or none: Dutch), set by
 * the page that gives the empty text its first words; read aloud and the plan page use it.
 * (meta's other keys: title, status, agenda_step, next_meeting.)
 * @type {Record<string, string>}
 */
export const TEXT_LANGS = Object.fromEntries(TEXTS.map((name) => [name, `${name}_lang`]))
/** Top-level Y.Array fields, each holding Y.Maps. */
export const LISTS = ['goals', 'actions', 'decisions']
/** Top-level Y.Map fields (changed_by: "part:person id" → true, written by the server). */
export const MAPS = ['meta', 'people', 'contacts', 'attendance', 'changed_by']
export const ROLES = ['coordinator', 'family', 'network', 'professional']
export const ACTION_STATUSES = ['open', 'done', 'partly', 'not_done']
/** attendance[person id]: how someone without a device takes part (the coordinator marks it). */
export const ATTENDANCE = ['at_table', 'absent', 'sent_word']
export const PERSON_FIELDS = ['name', 'role', 'relation', 'organisation', 'offers']
/** On every list item: who changed it last, and whether (when, by whom) it was removed. */
const TRACE = { changed_by: 'id', removed_at: 'str', removed_by: 'id' }
/** Per list item: field → kind ("text" fields are collaborative Y.Text). */
export const ITEM_FIELDS = {
  goals: {
    id: 'id', text: 'text', domain: 'str', author_id: 'id',
    author_role: 'str', score: 'score', professional_view: 'text', last_score: 'score', lang: 'str', ...TRACE
  },
  actions: {
    id: 'id', goal_id: 'id', text: 'text', owner_id: 'id', due: 'str',
    status: 'status', evaluation: 'text', carried_from: 'int', author_id: 'id',
    author_role: 'str', last_status: 'str', last_evaluation: 'str', lang: 'str',
    ...TRACE
  },
  decisions: {
    id: 'id', text: 'text', reason: 'text', options: 'text', decided_by: 'id',
    lifted_at: 'str', lifted_by: 'id', lang: 'str', ...TRACE
  }
}
export const LIFE_DOMAINS = [
  'opvoeding_ontwikkeling', 'veiligheid', 'gezondheid_lichamelijk', 'gezondheid_psychisch',
  'financien', 'werk_dagbesteding', 'huisvesting', 'onderwijs', 'relaties_netwerk',
  'vrije_tijd'
]

/** Everything above, compared with the server's schema.names(). */
export const NAMES = {
  texts: TEXTS,
  lists: LISTS,
  maps: MAPS,
  text_langs: TEXT_LANGS,
  roles: ROLES,
  action_statuses: ACTION_STATUSES,
  attendance: ATTENDANCE,
  person_fields: PERSON_FIELDS,
  item_fields: ITEM_FIELDS,
  life_domains: LIFE_DOMAINS
}

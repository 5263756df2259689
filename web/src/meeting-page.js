// The meeting page's script (bundled as dist/meeting.js): starts the meeting room in #app once,
// from the data attributes the server put there.
import { readOptions, startMeeting } from './meeting.js'

const root = document.getElementById('app')
if (!root) throw new Error('the meeting page has no #app')
startMeeting(root, readOptions(root.dataset))

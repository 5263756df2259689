// Bundles web/src/*.js (our ES modules + yjs + y-websocket) into web/dist/ with esbuild.
// Run by `make run` and `make test` when the bundle is missing or older than its sources.
// The meeting page's entry is meeting-page.js (meeting.js only exports startMeeting); its
// bundle keeps the name the template loads, dist/meeting.js.
import * as esbuild from 'esbuild'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

await esbuild.build({
  entryPoints: [
    { in: resolve(here, 'src/meeting-page.js'), out: 'meeting' },
    resolve(here, 'src/page.js'),
    resolve(here, 'src/joining.js')
  ],
  outdir: resolve(here, 'dist'),
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  sourcemap: false,
  logLevel: 'warning'
})

// Bundles web/src/*.js (our ES modules + yjs + y-websocket) into web/dist/ with esbuild.
// Run by `make run` and `make test` when the bundle is missing or older than its sources.
// The meeting page's entry is meeting-page.js (meeting.js only exports startMeeting); its
// bundle keeps the name the template loads, dist/meeting.js.
import * as esbuild from 'esbuild'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

// The sections the browser shows, in every language folder of web/messages/ (adding a language
// is adding a folder): web/src/messages.js imports them as `virtual:catalogue`,
// { nl: { common: '<ftl text>', … }, en: { … } }. Every language, not only the page's, so the
// bundle stays one cached file and the shared screen has Dutch beside the family's language.
const BROWSER_SECTIONS = ['common', 'meeting', 'session', 'voice']
const MESSAGES = resolve(here, 'messages')

/** @type {import('esbuild').Plugin} */
const catalogue = {
  name: 'catalogue',
  setup (build) {
    build.onResolve({ filter: /^virtual:catalogue$/ }, () => ({ path: 'catalogue', namespace: 'catalogue' }))
    build.onLoad({ filter: /.*/, namespace: 'catalogue' }, () => {
      /** @type {Record<string, Record<string, string>>} */
      const sources = {}
      const watchFiles = []
      for (const lang of readdirSync(MESSAGES).sort()) {
        sources[lang] = {}
        for (const section of BROWSER_SECTIONS) {
          const file = resolve(MESSAGES, lang, `${section}.ftl`)
          if (!existsSync(file)) continue
          sources[lang][section] = readFileSync(file, 'utf8')
          watchFiles.push(file)
        }
      }
      return { contents: JSON.stringify(sources), loader: 'json', watchFiles }
    })
  }
}

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
  logLevel: 'warning',
  plugins: [catalogue]
})

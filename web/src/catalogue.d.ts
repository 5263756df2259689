// web/build.mjs makes this module: per language folder, per browser section, its .ftl text.
declare module 'virtual:catalogue' {
  const sources: Record<string, Record<string, string>>
  export default sources
}

/** A self-contained HTML rendering of the OpenAPI document (works with no internet: no CDN). */
export function renderApiDocs(doc: object): string {
  const d = doc as { info: { title: string; version: string }; paths: Record<string, Record<string, { summary: string; description: string; parameters?: Array<{ name: string; in: string; required: boolean }>; requestBody?: { content: { 'application/json': { schema: unknown } } } }>> };
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const rows = Object.entries(d.paths)
    .flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => {
        const params = (op.parameters ?? []).map((p) => `<code>${esc(p.name)}</code>${p.required ? '*' : ''} <small>(${p.in})</small>`).join(', ');
        const body = op.requestBody ? `<details><summary>body</summary><pre>${esc(JSON.stringify(op.requestBody.content['application/json'].schema, null, 2))}</pre></details>` : '';
        return `<tr><td class="m ${method}">${method.toUpperCase()}</td><td><code>${esc(path)}</code></td><td>${esc(op.summary)}<br><small>${esc(op.description)}</small>${params ? `<br>${params}` : ''}${body}</td></tr>`;
      }),
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(d.info.title)}</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:70rem}td{border-top:1px solid #ddd;padding:.4rem;vertical-align:top}
.m{font-weight:bold}.get{color:#06c}.post{color:#080}.put{color:#a60}.delete{color:#c00}pre{background:#f5f5f5;padding:.5rem}</style></head>
<body><h1>${esc(d.info.title)}</h1><p>Version ${esc(d.info.version)}. Every request needs <code>Authorization: Bearer &lt;token&gt;</code>
(tokens and roles: <code>http.tokens</code> in the config). Machine-readable: <a href="/openapi.json">/openapi.json</a>.</p>
<table>${rows}</table></body></html>`;
}

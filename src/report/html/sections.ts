// The Method, Findings and Limitations sections of the HTML report, taken from the Markdown
// report itself (renderMarkdown) so the two never say different things. The Markdown is already
// safe HTML (mdText escapes every untrusted string for HTML, then backslash-escapes Markdown
// punctuation); this converts only what that renderer writes: pipe tables, "- " lists, **bold**,
// `code`, <br> and backslash escapes.
import type { TraceDoc } from '../export/doc.js';
import { type ReportContext, renderMarkdown } from '../markdown.js';

const WANTED = ['Method', 'Findings', 'Limitations and warnings'];

function inline(s: string): string {
  const parts = s.split(/(`[^`]*`)/);
  return parts
    .map((p) =>
      p.startsWith('`') && p.endsWith('`') && p.length >= 2
        ? `<code class="mono">${p.slice(1, -1)}</code>`
        : p.replace(/\*\*((?:\\.|[^*])+)\*\*/g, '<strong>$1</strong>').replace(/\\(.)/g, '$1'),
    )
    .join('');
}

/** Split a Markdown table row on unescaped pipes. */
function cells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      cur += c + line[i + 1];
      i++;
    } else if (c === '|') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out.slice(1, -1);
}

function block(lines: string[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!;
    if (l.startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && lines[i]!.startsWith('|')) rows.push(cells(lines[i++]!));
      const [head, , ...body] = rows;
      out.push(
        `<div class="scroll"><table><thead><tr>${(head ?? []).map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>${body
          .map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table></div>`,
      );
    } else if (l.startsWith('- ')) {
      const items: string[] = [];
      while (i < lines.length && lines[i]!.startsWith('- ')) items.push(lines[i++]!.slice(2));
      out.push(`<ul>${items.map((x) => `<li>${inline(x)}</li>`).join('')}</ul>`);
    } else {
      if (l.trim()) out.push(`<p>${inline(l)}</p>`);
      i++;
    }
  }
  return out.join('\n');
}

/** The Method, Findings and Limitations sections as HTML cards. */
export function narrativeSections(doc: TraceDoc, ctx: ReportContext = {}): string {
  const md = renderMarkdown(doc, ctx).split('\n');
  const out: string[] = [];
  for (const title of WANTED) {
    const start = md.indexOf(`## ${title}`);
    if (start < 0) continue;
    let end = start + 1;
    while (end < md.length && !md[end]!.startsWith('## ')) end++;
    const id = title.split(' ')[0]!.toLowerCase();
    out.push(
      `<div class="card wide narrative" id="${id}"><h2>${title}</h2>${block(md.slice(start + 1, end))}</div>`,
    );
  }
  return out.join('\n');
}

// Token names, labels and API text are attacker-controlled. Every renderer passes them through
// one of these before output: terminal (strip escapes/controls/bidi), CSV (neutralise formulas),
// HTML (escape markup).

// CSI / OSC / other ESC sequences, then any remaining C0/C1 control, then bidi overrides and
// zero-width characters that can make one address look like another.
const ANSI =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Safe for a terminal: no escape sequences, no control or bidi characters; newlines become spaces. */
export function termSafe(s: string): string {
  return s
    .replace(ANSI, '')
    .replace(/[\r\n\t]/g, ' ')
    .replace(CONTROL, '')
    .replace(INVISIBLE, '');
}

/** One CSV cell (RFC 4180 quoting) with spreadsheet formulas neutralised by a leading apostrophe. */
export function csvCell(v: string | number | bigint | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? termSafe(v) : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r|%]/.test(s)) s = "'" + s;
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(cells: readonly (string | number | bigint | boolean | null | undefined)[]): string {
  return cells.map(csvCell).join(',') + '\n';
}

export function htmlEscape(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Label text comes from third-party lists and is attacker-controlled. We store it raw, but any
// message this module builds from it (problems, errors) goes through `quoteUntrusted` first, so
// that no terminal escape, bidi override or newline reaches a log or a terminal.

const MAX_QUOTED = 80;

/** Quote untrusted text for a one-line message: escapes controls, bidi and invisible characters. */
export function quoteUntrusted(value: unknown, max = MAX_QUOTED): string {
  const text = typeof value === 'string' ? value : String(value);
  const cut = [...text];
  const shown = cut.length > max ? `${cut.slice(0, max).join('')}…` : text;
  return `'${escapeUnsafe(shown)}'`;
}

/** Replace every control, format (bidi, zero-width) and separator character by a \u escape. */
export function escapeUnsafe(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\\']/gu, (ch) => {
    if (ch === '\\') return '\\\\';
    if (ch === "'") return "\\'";
    return `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`;
  });
}

/** Escape only control, format and separator characters: idempotent on already-safe text. */
export function escapeControls(text: string): string {
  return text.replace(
    /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu,
    (ch) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  );
}

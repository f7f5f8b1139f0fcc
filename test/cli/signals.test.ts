// The stop handlers of the executable (src/cli/signals.ts) with a fake process: the first signal
// aborts the run and sets 128 + its number, a second one exits at once, the grace period ends a
// run that does not stop, SIGHUP is handled only with a terminal, a dead stderr stops the run.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installStopHandlers } from '../../src/cli/signals.js';

function fake() {
  const exits: number[] = [];
  const proc = Object.assign(new EventEmitter(), { exit: (c: number) => exits.push(c) });
  const written: string[] = [];
  const stderr = Object.assign(new EventEmitter(), { write: (s: string) => written.push(s) });
  return { proc, exits, stderr, written };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('stop handlers', () => {
  it('SIGTERM aborts with 143, a second signal exits at once', () => {
    const f = fake();
    const s = installStopHandlers({ proc: f.proc, stderr: f.stderr, interactive: false });
    f.proc.emit('SIGTERM');
    expect(s.signal.aborted).toBe(true);
    expect(s.status()).toBe(143);
    expect(f.exits).toEqual([]);
    expect(f.written.join('')).toContain('terminated (SIGTERM)');
    f.proc.emit('SIGINT');
    expect(f.exits).toEqual([143]);
    s.dispose();
    expect(f.proc.listenerCount('SIGTERM')).toBe(0);
  });

  it('SIGINT: 130; the grace period exits a run that does not stop', () => {
    vi.useFakeTimers();
    const f = fake();
    const s = installStopHandlers({ proc: f.proc, stderr: f.stderr, interactive: true, graceMs: 1000 });
    f.proc.emit('SIGINT');
    expect(s.status()).toBe(130);
    vi.advanceTimersByTime(999);
    expect(f.exits).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(f.exits).toEqual([130]);
  });

  it('SIGHUP only with a terminal (129, nothing written); a dead stderr stops the run too', () => {
    const none = fake();
    installStopHandlers({ proc: none.proc, stderr: none.stderr, interactive: false });
    expect(none.proc.listenerCount('SIGHUP')).toBe(0);
    const tty = fake();
    const s = installStopHandlers({ proc: tty.proc, stderr: tty.stderr, interactive: true });
    tty.proc.emit('SIGHUP');
    expect(s.status()).toBe(129);
    expect(tty.written).toEqual([]);
    const dead = fake();
    const d = installStopHandlers({ proc: dead.proc, stderr: dead.stderr, interactive: true });
    dead.stderr.emit('error', Object.assign(new Error('write EIO'), { code: 'EIO' }));
    expect(d.signal.aborted).toBe(true);
    expect(d.status()).toBe(129);
  });
});

// The progress line (src/cli/progress.ts) against a fake terminal: nothing animated without a
// usable width, frames cut to the width, the animation stopped when the width goes away.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clip, FRAME_MS, progressLine, usableColumns } from '../../src/cli/progress.js';

class FakeTty extends EventEmitter {
  isTTY = true;
  written: string[] = [];
  constructor(public columns: number | undefined) {
    super();
  }
  write(s: string) {
    this.written.push(s);
    return true;
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('progress line', () => {
  it('has no usable width at 0 columns, below 20, without a terminal, or on TERM=dumb', () => {
    expect(usableColumns({ isTTY: true, columns: 0 }, {})).toBeUndefined();
    expect(usableColumns({ isTTY: true, columns: 19 }, {})).toBeUndefined();
    expect(usableColumns({ isTTY: false, columns: 80 }, {})).toBeUndefined();
    expect(usableColumns({ isTTY: true, columns: 80 }, { TERM: 'dumb' })).toBeUndefined();
    expect(usableColumns({ isTTY: true, columns: 80 }, {})).toBe(80);
  });

  it('at 0 columns writes only the closing line, however long it runs', () => {
    vi.useFakeTimers();
    const tty = new FakeTty(0);
    const p = progressLine(tty, 'tracing', { env: {} });
    p.update('round 2');
    vi.advanceTimersByTime(FRAME_MS * 1000);
    p.succeed('traced 3 addresses');
    expect(tty.written).toEqual(['✔ traced 3 addresses\n']);
  });

  it('cuts frames to the width and stops animating when the terminal shrinks to nothing', () => {
    vi.useFakeTimers();
    const tty = new FakeTty(24);
    const p = progressLine(tty, 'tracing 6f79b762cd56d71e262d0cfd647ff612f9988e97', { env: {} });
    vi.advanceTimersByTime(FRAME_MS * 3);
    const frames = tty.written.filter((w) => w.startsWith('\r') && w.length > 4);
    expect(frames.length).toBe(4);
    for (const f of frames) expect([...f.replace(/^\r|\x1b\[K$/g, '')].length).toBeLessThanOrEqual(23);
    expect(frames[0]).toContain('tracing 6f79b762cd56…');
    tty.columns = 0;
    vi.advanceTimersByTime(FRAME_MS);
    const n = tty.written.length;
    vi.advanceTimersByTime(FRAME_MS * 100);
    expect(tty.written.length).toBe(n);
    expect(tty.written.at(-1)).toBe('\r\x1b[K'); // the last frame erased
    p.stop();
    expect(tty.written.length).toBe(n);
  });

  it('an update draws at once when a frame is due (work that holds the thread still shows progress)', () => {
    vi.useFakeTimers();
    const tty = new FakeTty(80);
    const p = progressLine(tty, 'checking', { env: {} });
    const frames = () => tty.written.filter((w) => w.startsWith('\r') && w.length > 4);
    expect(frames()).toHaveLength(1); // drawn on creation
    p.update('storing records 1 of 3'); // too soon: no frame
    expect(frames()).toHaveLength(1);
    // The clock moves on without the timer firing (as while the thread is busy).
    vi.setSystemTime(Date.now() + FRAME_MS);
    p.update('storing records 2 of 3');
    expect(frames()).toHaveLength(2);
    expect(frames()[1]).toContain('storing records 2 of 3');
    p.stop();
    p.update('after the end');
    expect(frames()).toHaveLength(2);
  });

  it('stops on abort and after a write error', () => {
    vi.useFakeTimers();
    const ac = new AbortController();
    const tty = new FakeTty(80);
    progressLine(tty, 'x', { env: {}, signal: ac.signal });
    ac.abort();
    const n = tty.written.length;
    vi.advanceTimersByTime(FRAME_MS * 10);
    expect(tty.written.length).toBe(n);
    const broken = new FakeTty(80);
    progressLine(broken, 'x', { env: {} });
    broken.emit('error', Object.assign(new Error('EIO'), { code: 'EIO' }));
    const m = broken.written.length;
    vi.advanceTimersByTime(FRAME_MS * 10);
    expect(broken.written.length).toBe(m);
  });

  it('clips by characters with an ellipsis', () => {
    expect(clip('abcdef', 6)).toBe('abcdef');
    expect(clip('abcdef', 4)).toBe('abc…');
  });
});

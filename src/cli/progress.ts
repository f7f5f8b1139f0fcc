// The progress line on stderr while a trace runs. Written here rather than with a spinner library
// because of what a real terminal can report: a pseudo-terminal of 0 columns (`script -qc …`,
// some CI runners, a closed window) made ora compute an infinite number of lines to erase and loop
// forever writing cursor moves (gigabytes, SIGTERM never handled). Rules kept here:
//   - animate only on a terminal at least MIN_COLUMNS wide (re-checked on every frame: a window
//     shrunk to nothing stops the animation); otherwise print only the closing line;
//   - one line, never wrapped: the text is cut to the width, redrawn with \r and erase-to-end;
//   - at most one frame per FRAME_MS, none while the terminal is not draining (back-pressure),
//     so the output stays bounded whatever happens;
//   - the timer never keeps the process alive, and a write error (terminal gone) ends it;
//   - an update draws at once when a frame is due: work that holds the thread (an index build's
//     SQLite writes) still shows its progress, as long as it updates the text.
import type { Progress } from '../app/trace.js';

export const MIN_COLUMNS = 20;
export const FRAME_MS = 120;
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** What the progress line needs of stderr (a tty.WriteStream, or a test double). */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): boolean;
  once(event: 'drain', f: () => void): unknown;
  on(event: 'error', f: (e: Error) => void): unknown;
  off(event: 'error', f: (e: Error) => void): unknown;
}

/** The width to draw in, or undefined when there is no usable terminal width. */
export function usableColumns(stream: Pick<ProgressStream, 'isTTY' | 'columns'>, env: NodeJS.ProcessEnv) {
  const c = stream.columns;
  if (!stream.isTTY || env.TERM === 'dumb' || typeof c !== 'number' || !Number.isInteger(c)) return undefined;
  return c >= MIN_COLUMNS ? c : undefined;
}

/** `text` cut to at most `width` characters, with an ellipsis when cut. */
export function clip(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return width <= 1 ? '…'.slice(0, width) : `${chars.slice(0, width - 1).join('')}…`;
}

export interface ProgressLine extends Progress {
  /** Erase the line now (before another message goes to the same stream); the next frame redraws it. */
  clear(): void;
}

export function progressLine(
  stream: ProgressStream,
  text: string,
  opts: { env: NodeJS.ProcessEnv; signal?: AbortSignal },
): ProgressLine {
  let current = text;
  let frame = 0;
  let drawn = false; // a partial line is on screen
  let waiting = false; // back-pressure: no frame until 'drain'
  let done = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  let lastDraw = 0;

  const write = (s: string) => {
    try {
      if (!stream.write(s) && !waiting) {
        waiting = true;
        stream.once('drain', () => {
          waiting = false;
        });
      }
    } catch {
      end();
    }
  };
  const erase = () => {
    if (drawn) write('\r\x1b[K');
    drawn = false;
  };
  const draw = () => {
    if (done || waiting) return;
    const cols = usableColumns(stream, opts.env);
    if (cols === undefined) {
      // The terminal lost its width: stop animating for good, keep only the closing line.
      erase();
      stopTimer();
      return;
    }
    // One column short of the edge: a character in the last column can wrap on some terminals.
    write(`\r${FRAMES[frame++ % FRAMES.length]} ${clip(current, cols - 3)}\x1b[K`);
    drawn = true;
    lastDraw = Date.now();
  };
  const stopTimer = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  const onError = () => end();
  const onAbort = () => {
    erase();
    end();
  };
  function end() {
    done = true;
    stopTimer();
    stream.off('error', onError);
    opts.signal?.removeEventListener('abort', onAbort);
  }

  if (opts.signal?.aborted) done = true;
  else if (usableColumns(stream, opts.env) !== undefined) {
    stream.on('error', onError);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    draw();
    timer = setInterval(draw, FRAME_MS);
    timer.unref();
  }

  return {
    update(t) {
      current = t;
      if (timer !== undefined && Date.now() - lastDraw >= FRAME_MS) draw();
    },
    clear: erase,
    succeed(t) {
      if (done) return;
      erase();
      end();
      const cols = usableColumns(stream, opts.env);
      write(`✔ ${cols !== undefined ? clip(t, cols - 3) : t}\n`);
    },
    stop() {
      if (done) return;
      erase();
      end();
    },
  };
}

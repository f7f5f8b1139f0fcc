// Start and stop a local anvil (Foundry's dev node, the @foundry-rs/anvil dev dependency) on a
// free loopback port, and talk to it with plain JSON-RPC. The real binary is spawned directly
// (not the npm wrapper script), so stopping it is one signal to one process; every started
// node is also killed when this process exits, so a crashed test or a Ctrl-C never leaves one
// running.
//
// API:
//   anvilBinary()                          path of the anvil executable (FUNDTRACE_ANVIL overrides;
//                                          then the dev dependency, then the PATH), or undefined
//   startAnvil(args?, {timeoutMs?})        → Anvil {url, port, pid, rpc(method, params), stop()}
//   class RpcFailure                       a JSON-RPC error answer (code, message)
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { FundtraceError } from '../core/errors.js';

const ROOT = join(import.meta.dirname, '..', '..');

export function anvilBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.FUNDTRACE_ANVIL) return env.FUNDTRACE_ANVIL;
  const exe = process.platform === 'win32' ? 'anvil.exe' : 'anvil';
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const platform = `${process.platform === 'win32' ? 'win32' : process.platform}-${arch}`;
  try {
    const require = createRequire(join(ROOT, 'package.json'));
    const bin = require.resolve(`@foundry-rs/anvil-${platform}/bin/${exe}`);
    if (existsSync(bin)) return bin;
  } catch {
    // not installed beside fundtrace (a dev dependency: present in a checkout only)
  }
  const wrapper = join(ROOT, 'node_modules', '.bin', 'anvil');
  if (existsSync(wrapper)) return wrapper;
  // An installed fundtrace: anvil from Foundry (foundryup) or `npm i -g @foundry-rs/anvil`, on the PATH.
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const found = dir ? join(dir, exe) : '';
    if (!found || !existsSync(found)) continue;
    // npm's `anvil` is a node wrapper (@foundry-rs/anvil/bin.mjs) that would not pass our stop
    // signal on: run the platform binary beside it instead, as above.
    try {
      const pkgDir = dirname(realpathSync(found));
      const bin = createRequire(join(pkgDir, 'package.json')).resolve(
        `@foundry-rs/anvil-${platform}/bin/${exe}`,
      );
      if (existsSync(bin)) return bin;
    } catch {
      // Foundry's own anvil (foundryup): the binary itself
    }
    return found;
  }
  return undefined;
}

/** What to do when there is no anvil: one line, the ways to get it. */
export const ANVIL_MISSING =
  "the devnet needs anvil (Foundry's local Ethereum node) and none was found: install it with " +
  "`npm i -g @foundry-rs/anvil` (or Foundry's foundryup), or set FUNDTRACE_ANVIL=/path/to/anvil";

export class RpcFailure extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
  ) {
    super(`${method}: ${message} (JSON-RPC error ${code})`);
    this.name = 'RpcFailure';
  }
}

export interface Anvil {
  url: string;
  port: number;
  pid: number;
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  stop(): Promise<void>;
  readonly stopped: boolean;
}

const running = new Set<ChildProcess>();
let exitHook = false;
function killAllOnExit(): void {
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const p of running) {
      try {
        p.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

export async function startAnvil(
  args: readonly string[] = [],
  opts: { timeoutMs?: number } = {},
): Promise<Anvil> {
  const bin = anvilBinary();
  if (bin === undefined) throw new FundtraceError('SOURCE', ANVIL_MISSING);
  const child = spawn(bin, ['--host', '127.0.0.1', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  killAllOnExit();
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `anvil did not start within ${opts.timeoutMs ?? 20_000} ms: ${stderr.trim().slice(0, 300)}`,
        ),
      );
    }, opts.timeoutMs ?? 20_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      running.delete(child);
      const code = (e as NodeJS.ErrnoException).code;
      // A FUNDTRACE_ANVIL (or PATH entry) that is not there or not executable: how to get one.
      reject(
        code === 'ENOENT' || code === 'EACCES'
          ? new FundtraceError('SOURCE', `cannot run ${bin} (${code}); ${ANVIL_MISSING}`)
          : new Error(`cannot start anvil (${bin}): ${e.message}`),
      );
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      running.delete(child);
      reject(new Error(`anvil exited with status ${code} before listening: ${stderr.trim().slice(0, 300)}`));
    });
    child.stdout?.on('data', (d: Buffer) => {
      if (out.length > 100_000) return; // keep draining the pipe, stop buffering
      out += d.toString();
      const m = /Listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(Number(m[1]));
      }
    });
  });
  child.once('exit', () => running.delete(child));
  const url = `http://127.0.0.1:${port}`;
  let id = 0;
  let stopped = false;
  const rpc = async <T>(method: string, params: unknown[] = []): Promise<T> => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
    });
    const body = (await res.json()) as { result?: T; error?: { code: number; message: string } };
    if (body.error) throw new RpcFailure(method, body.error.code, body.error.message);
    return body.result as T;
  };
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
      child.kill('SIGTERM');
    });
  };
  return {
    url,
    port,
    pid: child.pid ?? -1,
    rpc,
    stop,
    get stopped() {
      return stopped;
    },
  };
}

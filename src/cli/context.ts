// What every command receives. Its own module so commands need not import the program that
// registers them (that was an import cycle).
import type { Io } from './io.js';

export interface CliContext {
  io: Io;
  /** Set by a command that finished with a status other than 0 without throwing (e.g. --strict). */
  status: number;
  verbose: boolean;
  /** Credentials given on the command line or in the environment: scrubbed from every message. */
  secrets: string[];
}

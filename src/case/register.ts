// Registers the `case:DIR` source kind with src/sources/open.ts (imported from src/app/sources.ts).
import { registerSourceKind } from '../sources/open.js';
import { openCaseSource } from './source.js';

registerSourceKind('case', (rest, spec) => openCaseSource(rest, spec));

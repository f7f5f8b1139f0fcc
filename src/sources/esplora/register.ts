// Registers the esplora: source kind with ../open.ts (imported once from ../all.ts).
import { registerSourceKind } from '../open.js';
import { openEsplora } from './index.js';

registerSourceKind('esplora', openEsplora);

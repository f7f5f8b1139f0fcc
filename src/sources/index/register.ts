// Registers the `index:DB` source kind (imported once from src/app/sources.ts).
import { registerSourceKind } from '../open.js';
import { openIndexSource } from './open.js';

registerSourceKind('index', (rest, spec) => openIndexSource(rest, spec));

// Registers the `rpc:URL` source kind (imported once from src/app/sources.ts).
import { registerSourceKind } from '../open.js';
import { openRpcSource } from './open.js';

registerSourceKind('rpc', openRpcSource);

// Registers the `rpc:URL` source kind (imported once from src/sources/all.ts).
import { registerSourceKind } from '../open.js';
import { openRpcSource } from './open.js';

registerSourceKind('rpc', openRpcSource);

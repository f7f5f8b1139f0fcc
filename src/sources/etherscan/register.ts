// Registers `--source etherscan:URL` (Etherscan API v2, Blockscout and other compatible APIs).
import { registerSourceKind } from '../open.js';
import { openEtherscan } from './open.js';

registerSourceKind('etherscan', openEtherscan);

// The devnet deploys committed bytecode (src/devnet/artifacts.ts); it must be exactly what the
// committed Solidity sources (contracts/*.sol) compile to with the pinned solc settings.
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, COMPILER } from '../../src/devnet/artifacts.js';
import { CONTRACT_FILES, compileContracts } from '../../src/devnet/compile.js';

describe('devnet contracts', () => {
  it('recompiling contracts/*.sol gives the committed bytecode and ABI', async () => {
    const fresh = await compileContracts();
    expect(fresh.compiler).toBe(COMPILER);
    expect(Object.keys(fresh.contracts).sort()).toEqual(Object.keys(ARTIFACTS).sort());
    for (const [name, a] of Object.entries(fresh.contracts)) {
      const committed = ARTIFACTS[name as keyof typeof ARTIFACTS];
      expect(a.bytecode, `${name} bytecode`).toBe(committed.bytecode);
      expect(a.abi, `${name} abi`).toEqual(committed.abi);
    }
    expect(CONTRACT_FILES).toHaveLength(10);
  });
});

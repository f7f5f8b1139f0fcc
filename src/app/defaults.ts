// The trace limits' defaults, in a module of their own so the CLI can show them without loading
// the application.
export const DEFAULT_LIMITS = { hops: 3, maxNodes: 10_000, historyLimit: 10_000 } as const;

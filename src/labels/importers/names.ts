// File-name patterns that format detection (./index.ts) shares with an importer, kept apart from
// the importers so that detecting a format does not load them.

/** OFAC's per-currency lists: sanctioned_addresses_XBT.txt (or .json); the ticker is group 1. */
export const OFAC_LIST_FILE = /sanctioned_addresses_([A-Za-z0-9]+)\.(txt|json)$/i;

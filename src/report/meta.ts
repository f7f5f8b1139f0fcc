// What a report says about where its result came from. A case manifest is one (structurally);
// renderers take this, not the case module, so report stays below case in the layers.
export interface ReportSourceMeta {
  /** The --source spec with any credential removed. */
  spec: string;
  kind: string;
  chain: string;
  asOf: { height: number; time: string | null } | null;
  sha256?: string;
  bytes?: number;
  description?: string;
}

export interface ReportMeta {
  /** When the trace ran (ISO-8601 UTC). */
  created: string;
  sources: ReportSourceMeta[];
  labels: {
    files: { path: string; entries: number; sha256: string }[];
    carriedBySource: number;
    stored: number;
  };
  redaction: { method: string; saltFingerprint: string } | null;
}

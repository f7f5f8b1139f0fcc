// Public API of case directories (see ./write.ts for the layout).
export { HttpRecorder, type LabelEvidence, type RecordedResponse, usedLabels } from './evidence.js';
export {
  CASE_FORMAT,
  type CaseManifest,
  MANIFEST,
  type ManifestFile,
  parseManifest,
  RESULT,
  sha256,
} from './manifest.js';
export { type LookupLog, type Recording, recordView } from './recording.js';
export { Pseudonymizer, REDACTION_METHOD, redactionSalt, saltFingerprint } from './redact.js';
export { replayView } from './replay.js';
export { queryFromJson, rerunTrace, traceOptions } from './rerun.js';
export { openCaseSource } from './source.js';
export { type CaseHookOptions, type CaseSession, startCase } from './trace-hook.js';
export { type CaseProblem, type CaseVerification, loadEvidence, verifyCase } from './verify.js';
export { checkCaseTarget, type WriteCaseOptions, type WrittenCase, writeCase } from './write.js';

// Public API of the labels module (see the README section "Labels").
export {
  type DirectoryImport,
  defaultLabelDir,
  directoryName,
  type ImportIntoOptions,
  importIntoDirectory,
  LABEL_FILE_FORMAT,
  loadDirectory,
} from './directory.js';
export {
  NAME_RULES as ETHERSCAN_NAME_RULES,
  SLUG_RULES as ETHERSCAN_SLUG_RULES,
} from './importers/etherscan.js';
export {
  CONCEPTS as GRAPHSENSE_CONCEPTS,
  CONFIDENCE_LEVELS as GRAPHSENSE_CONFIDENCE,
  labelsFromApiTags,
} from './importers/graphsense-tags.js';
export {
  detectFormat,
  importLabelText,
  isLabelFormat,
  type LabelFormat,
  labelFormats,
} from './importers/index.js';
export { sdnNameIndex } from './importers/ofac.js';
export { formatProblem, type LoadedLabels, type LoadOptions, loadLabelFile, problemsError } from './load.js';
export { escapeUnsafe, quoteUntrusted } from './sanitize.js';
export { type CountRow, type LabelStats, labelStats } from './stats.js';
export { LabelStore, loadLabelStore, lookupKey, type StoreLoad } from './store.js';
export {
  CATEGORIES,
  CATEGORY_ALIASES,
  type CategoryInfo,
  type CategoryPolicy,
  type CategorySetOverride,
  categoryPolicy,
  categoryTier,
  compareLabels,
  DEFAULT_FLAGGED,
  DEFAULT_POLICY,
  DEFAULT_SERVICE,
  flaggedCategories,
  isFlagged,
  isKnownCategory,
  isService,
  normaliseCategory,
  primaryLabel,
  rankLabels,
  serviceCategories,
} from './taxonomy.js';
export type { ImportOptions, ImportResult, LabelImporter, LabelProblem, SkipCount } from './types.js';

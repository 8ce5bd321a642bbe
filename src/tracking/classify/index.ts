// What the recorder, the CLI and the benchmark use of the tracking classifier.
export { BACKFILL_REPLACED, classifyHit, createClassifier, DEFAULT_OPTIONS, type ClassifierSetup, type RuleSet } from './create-classifier.ts';
export type { ClassifierOptions } from './rules.ts';
export { loadSignatures, SignatureFileError, type Signatures } from './signatures.ts';
export { HONEYPOT_URL_MARKER, HONEYPOT_LINK_INDEX, HONEYPOT_WINDOW_MS, isHoneypotLink } from './honeypot.ts';
export type { Classification, ClassifyHit, EmailHistory, Hit, Verdict } from '../hit.ts';

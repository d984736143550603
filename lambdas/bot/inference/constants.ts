import { readSettings } from '../../../contract/read-settings';

const SETTING_DEFAULTS = readSettings({}, ['bedrockModelId', 'botFirstTokenTimeoutMs', 'botOfflineDelayMs']);

/** Defaults of the inference targets and the fallback chain, applied once where each is used. */
export const INFERENCE_DEFAULTS = {
  /**
   * The `bedrockModelId` setting's default, Amazon Nova Lite through the US cross-region inference profile: low latency and cost for short chat answers over
   * retrieved passages, streams through Converse, and needs no per-model use-case form. Outside the US use the matching
   * profile (`eu.amazon.nova-lite-v1:0`, `apac.amazon.nova-lite-v1:0`).
   */
  bedrockModelId: SETTING_DEFAULTS.bedrockModelId,
  /** A target that gives no first part within this many milliseconds is abandoned for the next one (the setting's default). */
  firstTokenTimeoutMs: SETTING_DEFAULTS.botFirstTokenTimeoutMs,
  /** Extra attempts on the same target after a `throttled` failure, before falling over. */
  throttleRetries: 2,
  /** First backoff after throttling; it doubles each retry, with jitter. */
  backoffBaseMs: 200,
  /** Pause between the offline target's word-sized deltas, so clients see the answer grow (the setting's default). */
  offlineDelayMs: SETTING_DEFAULTS.botOfflineDelayMs,
} as const;

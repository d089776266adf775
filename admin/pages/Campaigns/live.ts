import type { CampaignState } from '../../../contracts/campaigns';

/** How often a running campaign's figures are asked for again. */
export const LIVE_POLL_MS = 2_000;

/** A campaign whose figures change by themselves: running, or about to start. */
export const isLive = (state: CampaignState | undefined) => state === 'running' || state === 'scheduled';

import type { Campaign, CampaignState } from '../../../contracts/campaigns';

/** How often a running campaign's figures are asked for again. */
export const LIVE_POLL_MS = 2_000;

/** A campaign whose figures change by themselves: running, or about to start. */
export const isLive = (state: CampaignState | undefined) => state === 'running' || state === 'scheduled';

/** Receipts and replies keep coming after the last send: a finished campaign is asked less often for a while. */
export const SETTLING_POLL_MS = 10_000;
const SETTLING_FOR_MS = 60 * 60 * 1000;

/** How often a campaign's figures are asked for: often while it runs, less for an hour after it finished, else never. */
export const pollingOf = (campaign: Pick<Campaign, 'state' | 'occurrence'> | undefined) => {
  if (!campaign) return 0;
  if (isLive(campaign.state)) return LIVE_POLL_MS;
  const finished = campaign.occurrence?.finishedAt;
  return campaign.state === 'done' && finished && Date.now() - Date.parse(finished) < SETTLING_FOR_MS ? SETTLING_POLL_MS : 0;
};

import { Flex, SingleSelect, SingleSelectOption, Switch, Typography } from '@strapi/design-system';
import type { WhatsAppNumber } from '../../../contracts/numbers';
import { useGetBotNumberQuery, useNotifyError, useSaveBotNumberMutation } from '../../api';
import { useTranslate } from '../../hooks/useTranslate';

export const numberName = (numbers: WhatsAppNumber[], id: number) => {
  const n = numbers.find((x) => x.id === id);
  return n ? `${n.label} (${n.phone})` : `#${id}`;
};

/** Which number's bots are shown, and that number's switch: bots answer on it or not. */
export const NumberBar = ({ numberIds, numbers, numberId, onNumber, canManage }: { numberIds: number[]; numbers: WhatsAppNumber[]; numberId: number; onNumber: (id: number) => void; canManage: boolean }) => {
  const t = useTranslate();
  const notifyError = useNotifyError();
  const settings = useGetBotNumberQuery(numberId);
  const [save, { isLoading }] = useSaveBotNumberMutation();
  const enabled = settings.data?.enabled ?? false;
  const toggle = (on: boolean) => save({ numberId, body: { enabled: on } }).unwrap().catch(notifyError);
  return (
    <Flex gap={4} alignItems="flex-end" wrap="wrap">
      <Flex direction="column" alignItems="stretch" gap={1} flex="1 1 20rem" minWidth={0}>
        <Typography variant="pi" fontWeight="bold" tag="label" id="bots-number-label">
          {t('bots.number', 'Number')}
        </Typography>
        <SingleSelect aria-labelledby="bots-number-label" value={String(numberId)} onChange={(v) => onNumber(Number(v))}>
          {numberIds.map((id) => (
            <SingleSelectOption key={id} value={String(id)}>
              {numberName(numbers, id)}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </Flex>
      <Flex direction="column" alignItems="flex-start" gap={1}>
        <Typography variant="pi" fontWeight="bold" id="bots-enabled-label">
          {t('bots.enabled', 'Bots answer on this number')}
        </Typography>
        <Switch
          aria-labelledby="bots-enabled-label"
          checked={enabled}
          disabled={!canManage || isLoading || !settings.data}
          onCheckedChange={toggle}
          onLabel={t('bots.enabled.on', 'On')}
          offLabel={t('bots.enabled.off', 'Off')}
          visibleLabels
        />
      </Flex>
    </Flex>
  );
};

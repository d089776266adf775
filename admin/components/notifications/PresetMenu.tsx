import { Flex, Menu, Typography } from '@strapi/design-system';
import type { HostContentType } from '../../../contracts/host';
import { NOTIFICATION_PRESETS, fromPreset, type PresetDraft } from '../../../contracts/notification-presets';
import { useTranslate } from '../../hooks/useTranslate';

/**
 * "Add from preset": each common event, bound to this CRM's schema; one the schema cannot fit is
 * disabled and says why. The list may grow taller than SimpleMenu's fixed 15rem, so it takes the room the viewport has.
 */
export const PresetMenu = ({ types, onPick }: { types: HostContentType[]; onPick: (draft: PresetDraft) => void }) => {
  const t = useTranslate();
  return (
    <Menu.Root>
      <Menu.Trigger variant="secondary" size="S">
        {t('notifications.preset.add', 'Add from preset')}
      </Menu.Trigger>
      <Menu.Content maxHeight="min(40rem, var(--radix-dropdown-menu-content-available-height))" maxWidth="min(36rem, 100vw)" aria-label={t('notifications.preset.add', 'Add from preset')}>
        {NOTIFICATION_PRESETS.map((preset) => {
          const draft = fromPreset(preset, types);
          const label = t(`notifications.preset.${preset.id}`, preset.label);
          return (
            <Menu.Item key={preset.id} disabled={!draft} onSelect={() => draft && onPick({ ...draft, name: label })}>
              <Flex direction="column" alignItems="flex-start" gap={1}>
                <Typography textColor={draft ? undefined : 'neutral500'}>{label}</Typography>
                {!draft && (
                  <Typography variant="pi" textColor="neutral600">
                    {t('notifications.preset.missingType', 'This app has no {uid} (nor a type named {names}) that you can read', { uid: preset.contentType, names: preset.singularNames.join(' or ') })}
                  </Typography>
                )}
              </Flex>
            </Menu.Item>
          );
        })}
      </Menu.Content>
    </Menu.Root>
  );
};

import { MenuItem, SimpleMenu } from '@strapi/design-system';
import type { HostContentType } from '../../../contracts/host';
import { NOTIFICATION_PRESETS, fromPreset, type PresetDraft } from '../../../contracts/notification-presets';
import { useTranslate } from '../../hooks/useTranslate';

/** "Add from preset": each common event, bound to this CRM's schema; one the schema cannot fit is disabled. */
export const PresetMenu = ({ types, onPick }: { types: HostContentType[]; onPick: (draft: PresetDraft) => void }) => {
  const t = useTranslate();
  return (
    <SimpleMenu label={t('notifications.preset.add', 'Add from preset')} variant="secondary" size="S">
      {NOTIFICATION_PRESETS.map((preset) => {
        const draft = fromPreset(preset, types);
        const label = t(`notifications.preset.${preset.id}`, preset.label);
        return (
          <MenuItem key={preset.id} disabled={!draft} onSelect={() => draft && onPick({ ...draft, name: label })}>
            {label}
          </MenuItem>
        );
      })}
    </SimpleMenu>
  );
};

import * as React from 'react';
import {
  Box,
  Button,
  Field,
  Flex,
  Grid,
  IconButton,
  Modal,
  NumberInput,
  SingleSelect,
  SingleSelectOption,
  Toggle,
  Typography,
} from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';
import { isFetchError, useAPIErrorHandler, useFetchClient, useNotification } from '@strapi/strapi/admin';
import type { HostContentType } from '../../../contracts/host';
import type { NotificationRule } from '../../../contracts/notifications';
import type { WhatsAppNumber } from '../../../contracts/numbers';
import { useTranslate } from '../../hooks/useTranslate';
import {
  EVENTS,
  fieldErrorsOf,
  fieldPaths,
  isDateType,
  slotsOf,
  slotsOfMapping,
  templateKey,
  toRequestBody,
  type Mapping,
  type RuleFormErrors,
  type RuleFormValues,
} from './form';
import { eventLabel } from './messages';
import { useApprovedTemplates } from './useTemplates';

export interface RuleEditorModalProps {
  /** The rule being edited; null adds a new one (from `initial`, e.g. a preset). */
  rule: NotificationRule | null;
  initial: RuleFormValues;
  types: HostContentType[];
  numbers: WhatsAppNumber[];
  onClose: () => void;
  onSaved: (rule: NotificationRule, mode: 'create' | 'edit') => void;
}

const Item = ({ children, col = 6 }: { children: React.ReactNode; col?: number }) => (
  <Grid.Item col={col} m={col} xs={12} direction="column" alignItems="stretch">
    {children}
  </Grid.Item>
);

/** A select of field paths that keeps a value the list does not offer (a deeper path, a renamed field). */
const PathSelect = ({ value, paths, onChange, placeholder, label }: { value: string; paths: string[]; onChange: (v: string) => void; placeholder: string; label?: string }) => {
  const options = value && !paths.includes(value) ? [value, ...paths] : paths;
  return (
    <SingleSelect value={value || null} onChange={(v) => onChange(String(v))} placeholder={placeholder} aria-label={label}>
      {options.map((p) => (
        <SingleSelectOption key={p} value={p}>
          {p}
        </SingleSelectOption>
      ))}
    </SingleSelect>
  );
};

/** Add / edit a rule. Mount it only while open: it takes its initial values on mount. */
export const RuleEditorModal = ({ rule, initial, types, numbers, onClose, onSaved }: RuleEditorModalProps) => {
  const t = useTranslate();
  const { post, put } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const mode = rule ? 'edit' : 'create';

  const [values, setValues] = React.useState<RuleFormValues>(initial);
  const [errors, setErrors] = React.useState<RuleFormErrors>({});
  const [submitting, setSubmitting] = React.useState(false);
  const templates = useApprovedTemplates(values.numberId);

  const template = templates.templates.find((tpl) => templateKey(tpl) === values.template);
  const slots = slotsOf(template);
  const type = types.find((ty) => ty.uid === values.contentType);
  // What is sent (parameters, recipient) only from what the settings allow for this type; what triggers from any field.
  const allowed = (path: string) => !type?.notificationFields?.length || type.notificationFields.includes(path);
  const allPaths = fieldPaths(types, values.contentType);
  const sentPaths = allPaths.filter(allowed);
  const ownPaths = allPaths.filter((p) => !p.includes('.'));
  const datePaths = type?.fields.filter((f) => isDateType(f.type)).map((f) => f.name) ?? [];
  const phonePaths = fieldPaths(types, values.contentType, (ty) => ['string', 'text', 'biginteger', 'integer'].includes(ty)).filter(allowed);

  const clearError = (key: string) =>
    setErrors((prev) => {
      if (!prev[key] && !prev.form) return prev;
      const { [key]: _removed, form: _form, ...rest } = prev;
      return rest;
    });

  const set = <K extends keyof RuleFormValues>(key: K, value: RuleFormValues[K], errorKey: string = key) => {
    setValues((prev) => ({ ...prev, [key]: value }));
    clearError(errorKey);
  };

  const setMapping = (slot: string, mapping: Mapping) => {
    setValues((prev) => ({ ...prev, mapping: { ...prev.mapping, [slot]: mapping } }));
    clearError('parameters');
  };

  const handleSubmit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    event.stopPropagation();
    if (submitting) return;
    // A condition value without its field would be dropped unseen: ask for the field instead.
    const orphan = values.condition.findIndex((c) => !c.path && c.value.trim());
    if (orphan >= 0) {
      setErrors({ condition: t('notifications.form.condition.noField', 'Condition {n}: choose the field it checks.', { n: orphan + 1 }) });
      return;
    }
    setSubmitting(true);
    setErrors({});
    try {
      const body = toRequestBody(values, template ? slots : slotsOfMapping(values.mapping));
      const res = rule
        ? await put<{ data: NotificationRule }>(`/whatsapp/notification-rules/${rule.id}`, body)
        : await post<{ data: NotificationRule }>('/whatsapp/notification-rules', body);
      toggleNotification({ type: 'success', message: mode === 'create' ? t('notifications.notification.created', 'Rule added.') : t('notifications.notification.updated', 'Rule saved.') });
      onSaved(res.data.data, mode);
    } catch (error) {
      if (isFetchError(error)) {
        const apiError = error.response?.data?.error;
        if (apiError?.name === 'ValidationError') setErrors(fieldErrorsOf(apiError as Parameters<typeof fieldErrorsOf>[0]));
        toggleNotification({ type: 'danger', message: formatAPIError(error) });
      } else {
        toggleNotification({ type: 'danger', message: t('notifications.notification.error', 'Something went wrong. Try again.') });
      }
    } finally {
      setSubmitting(false);
    }
  };

  const slotLabel = (slot: (typeof slots)[number]) => {
    const where =
      slot.component === 'header'
        ? t('notifications.form.param.header', 'Header')
        : slot.component === 'button'
          ? t('notifications.form.param.button', 'Button {n} link', { n: slot.index + 1 })
          : t('notifications.form.param.body', 'Body');
    return `${where} {{${slot.label}}}`;
  };

  const templateHint = () => {
    if (!values.numberId) return t('notifications.form.template.pickNumber', 'Choose a number first.');
    if (templates.status === 'loading') return t('notifications.form.template.loading', 'Loading templates…');
    if (templates.status === 'error') return t('notifications.form.template.error', 'Could not load this number’s templates.');
    if (!templates.templates.length) return t('notifications.form.template.none', 'This number has no approved template. Create one at your provider and sync templates.');
    return t('notifications.form.template.hint', 'Approved templates of this number.');
  };

  return (
    <Modal.Root open onOpenChange={(open) => !open && !submitting && onClose()}>
      <Modal.Content>
        <form noValidate onSubmit={handleSubmit} aria-label={t('notifications.form.label', 'Notification rule')}>
          <Modal.Header closeLabel={t('notifications.form.close', 'Close')}>
            <Modal.Title>{mode === 'create' ? t('notifications.form.title.create', 'Add a rule') : t('notifications.form.title.edit', 'Edit {name}', { name: rule!.name })}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Flex direction="column" alignItems="stretch" gap={6}>
              {errors.form && (
                <Typography textColor="danger600" role="alert">
                  {errors.form}
                </Typography>
              )}
              <Grid.Root gap={5}>
                <Item>
                  <Field.Root name="name" error={errors.name} required width="100%">
                    <Field.Label>{t('notifications.form.name', 'Name')}</Field.Label>
                    <Field.Input value={values.name} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('name', e.target.value)} autoComplete="off" />
                    <Field.Error />
                  </Field.Root>
                </Item>
                <Item>
                  <Field.Root name="contentType" error={errors.contentType} required width="100%" hint={t('notifications.form.contentType.hint', 'The CRM records whose events send the template.')}>
                    <Field.Label>{t('notifications.form.contentType', 'Content type')}</Field.Label>
                    <SingleSelect
                      value={values.contentType || null}
                      onChange={(v) => {
                        setValues((prev) => ({ ...prev, contentType: String(v), field: '', condition: [], mapping: {}, recipient: '' }));
                        clearError('contentType');
                      }}
                      placeholder={t('notifications.form.contentType.placeholder', 'Choose a content type')}
                    >
                      {types.map((ty) => (
                        <SingleSelectOption key={ty.uid} value={ty.uid}>
                          {ty.displayName}
                        </SingleSelectOption>
                      ))}
                    </SingleSelect>
                    <Field.Hint />
                    <Field.Error />
                  </Field.Root>
                </Item>
                <Item>
                  <Field.Root name="event" error={errors.event} required width="100%">
                    <Field.Label>{t('notifications.form.event', 'Event')}</Field.Label>
                    <SingleSelect value={values.event} onChange={(v) => set('event', v as RuleFormValues['event'])}>
                      {EVENTS.map((e) => (
                        <SingleSelectOption key={e} value={e}>
                          {eventLabel(t, e)}
                        </SingleSelectOption>
                      ))}
                    </SingleSelect>
                    <Field.Error />
                  </Field.Root>
                </Item>
                {values.event === 'fieldChanged' && (
                  <>
                    <Item>
                      <Field.Root name="field" error={errors.field} required width="100%">
                        <Field.Label>{t('notifications.form.field', 'Field')}</Field.Label>
                        <PathSelect value={values.field} paths={ownPaths} onChange={(v) => set('field', v)} placeholder={t('notifications.form.field.placeholder', 'Choose a field')} />
                        <Field.Error />
                      </Field.Root>
                    </Item>
                    <Item>
                      <Field.Root name="value" error={errors.value} width="100%" hint={t('notifications.form.value.hint', 'Only when it changes to this value. Leave empty for any change.')}>
                        <Field.Label>{t('notifications.form.value', 'Changed to')}</Field.Label>
                        <Field.Input value={values.value} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('value', e.target.value)} autoComplete="off" />
                        <Field.Hint />
                        <Field.Error />
                      </Field.Root>
                    </Item>
                  </>
                )}
                {values.event === 'dateOffset' && (
                  <>
                    <Item>
                      <Field.Root name="field" error={errors.field} required width="100%">
                        <Field.Label>{t('notifications.form.dateField', 'Date field')}</Field.Label>
                        <PathSelect value={values.field} paths={datePaths} onChange={(v) => set('field', v)} placeholder={t('notifications.form.field.placeholder', 'Choose a field')} />
                        <Field.Error />
                      </Field.Root>
                    </Item>
                    <Item>
                      <Field.Root name="offsetDays" error={errors.offsetDays} required width="100%" hint={t('notifications.form.offsetDays.hint', 'Negative: days before the date (-3: three days before); 0: on the day; positive: after.')}>
                        <Field.Label>{t('notifications.form.offsetDays', 'Offset in days')}</Field.Label>
                        <NumberInput value={values.offsetDays} onValueChange={(v) => set('offsetDays', v)} step={1} min={-365} max={365} />
                        <Field.Hint />
                        <Field.Error />
                      </Field.Root>
                    </Item>
                  </>
                )}
              </Grid.Root>

              <Box tag="section" aria-label={t('notifications.form.condition.title', 'Condition')}>
                <Flex direction="column" alignItems="stretch" gap={2}>
                  <Typography variant="delta" tag="h3">
                    {t('notifications.form.condition.title', 'Condition')}
                  </Typography>
                  <Typography variant="pi" textColor="neutral600">
                    {t('notifications.form.condition.hint', 'Optional: send only when every field equals its value. Otherwise the firing is recorded as not matched.')}
                  </Typography>
                  {values.condition.map((row, i) => (
                    <Flex key={i} gap={2} alignItems="flex-start" wrap="wrap">
                      <Box flex="1 1 180px" minWidth={0}>
                        <PathSelect
                          value={row.path}
                          paths={allPaths}
                          label={t('notifications.form.condition.field', 'Condition {n} field', { n: i + 1 })}
                          placeholder={t('notifications.form.field.placeholder', 'Choose a field')}
                          onChange={(v) => set('condition', values.condition.map((c, j) => (j === i ? { ...c, path: v } : c)), 'condition')}
                        />
                      </Box>
                      <Box flex="1 1 140px" minWidth={0}>
                        <Field.Root name={`condition.${i}`} width="100%">
                          <Field.Input
                            aria-label={t('notifications.form.condition.value', 'Condition {n} value', { n: i + 1 })}
                            value={row.value}
                            onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('condition', values.condition.map((c, j) => (j === i ? { ...c, value: e.target.value } : c)), 'condition')}
                          />
                        </Field.Root>
                      </Box>
                      <IconButton
                        variant="ghost"
                        label={t('notifications.form.condition.remove', 'Remove condition {n}', { n: i + 1 })}
                        onClick={() => set('condition', values.condition.filter((_, j) => j !== i), 'condition')}
                      >
                        <Trash />
                      </IconButton>
                    </Flex>
                  ))}
                  {errors.condition && (
                    <Typography variant="pi" textColor="danger600" role="alert">
                      {errors.condition}
                    </Typography>
                  )}
                  <Box>
                    <Button variant="tertiary" size="S" startIcon={<Plus />} disabled={!values.contentType} onClick={() => set('condition', [...values.condition, { path: '', value: '' }], 'condition')}>
                      {t('notifications.form.condition.add', 'Add a condition')}
                    </Button>
                  </Box>
                </Flex>
              </Box>

              <Grid.Root gap={5}>
                <Item>
                  <Field.Root name="numberId" error={errors.numberId} required width="100%">
                    <Field.Label>{t('notifications.form.number', 'Number')}</Field.Label>
                    <SingleSelect
                      value={values.numberId || null}
                      onChange={(v) => {
                        setValues((prev) => ({ ...prev, numberId: String(v), template: '' }));
                        clearError('numberId');
                      }}
                      placeholder={t('notifications.form.number.placeholder', 'Choose a number')}
                    >
                      {numbers.map((n) => (
                        <SingleSelectOption key={n.id} value={String(n.id)}>
                          {`${n.label} (${n.phone})`}
                        </SingleSelectOption>
                      ))}
                    </SingleSelect>
                    <Field.Error />
                  </Field.Root>
                </Item>
                <Item>
                  <Field.Root name="template" error={errors.template} required width="100%" hint={templateHint()}>
                    <Field.Label>{t('notifications.form.template', 'Template')}</Field.Label>
                    <SingleSelect
                      value={values.template || null}
                      onChange={(v) => set('template', String(v))}
                      disabled={!values.numberId}
                      placeholder={t('notifications.form.template.placeholder', 'Choose a template')}
                    >
                      {/* The rule's template shows while the list loads, and stays if it is no longer approved, so saving keeps it. */}
                      {values.template && !template && (
                        <SingleSelectOption value={values.template}>{values.template.replace('|', ' · ')}</SingleSelectOption>
                      )}
                      {templates.templates.map((tpl) => (
                        <SingleSelectOption key={tpl.id} value={templateKey(tpl)}>
                          {`${tpl.name} · ${tpl.language}`}
                        </SingleSelectOption>
                      ))}
                    </SingleSelect>
                    <Field.Hint />
                    <Field.Error />
                  </Field.Root>
                </Item>
              </Grid.Root>

              {slots.length > 0 && (
                <Box tag="section" aria-label={t('notifications.form.params.title', 'Template parameters')}>
                  <Flex direction="column" alignItems="stretch" gap={3}>
                    <Typography variant="delta" tag="h3">
                      {t('notifications.form.params.title', 'Template parameters')}
                    </Typography>
                    {slots.map((slot) => {
                      const m = values.mapping[slot.key] ?? { from: 'field' as const, value: '' };
                      const label = slotLabel(slot);
                      return (
                        <Flex key={slot.key} gap={2} alignItems="flex-end" wrap="wrap">
                          <Box flex="1 1 150px" minWidth={0}>
                            <Field.Root name={`param-${slot.key}`} width="100%">
                              <Field.Label>{label}</Field.Label>
                              <SingleSelect aria-label={t('notifications.form.param.source', '{param} from', { param: label })} value={m.from} onChange={(v) => setMapping(slot.key, { from: v as Mapping['from'], value: '' })}>
                                <SingleSelectOption value="field">{t('notifications.form.param.field', 'A field of the record')}</SingleSelectOption>
                                <SingleSelectOption value="constant">{t('notifications.form.param.constant', 'A fixed text')}</SingleSelectOption>
                                <SingleSelectOption value="link">{t('notifications.form.param.link', 'The record’s admin link')}</SingleSelectOption>
                              </SingleSelect>
                            </Field.Root>
                          </Box>
                          <Box flex="1 1 180px" minWidth={0}>
                            {m.from === 'field' && (
                              <PathSelect
                                value={m.value}
                                paths={sentPaths}
                                label={t('notifications.form.param.value', '{param} value', { param: label })}
                                placeholder={t('notifications.form.field.placeholder', 'Choose a field')}
                                onChange={(v) => setMapping(slot.key, { from: 'field', value: v })}
                              />
                            )}
                            {m.from === 'constant' && (
                              <Field.Root name={`param-${slot.key}-value`} width="100%">
                                <Field.Input
                                  aria-label={t('notifications.form.param.value', '{param} value', { param: label })}
                                  value={m.value}
                                  onChange={(e: React.ChangeEvent<HTMLInputElement>) => setMapping(slot.key, { from: 'constant', value: e.target.value })}
                                />
                              </Field.Root>
                            )}
                          </Box>
                        </Flex>
                      );
                    })}
                    {errors.parameters && (
                      <Typography variant="pi" textColor="danger600" role="alert">
                        {errors.parameters}
                      </Typography>
                    )}
                  </Flex>
                </Box>
              )}

              <Grid.Root gap={5}>
                <Item>
                  <Field.Root name="recipientFrom" width="100%">
                    <Field.Label>{t('notifications.form.recipientFrom', 'Send to')}</Field.Label>
                    <SingleSelect value={values.recipientFrom} onChange={(v) => setValues((prev) => ({ ...prev, recipientFrom: v as 'field' | 'constant', recipient: '' }))}>
                      <SingleSelectOption value="field">{t('notifications.form.recipient.field', 'A phone field of the record or a related record')}</SingleSelectOption>
                      <SingleSelectOption value="constant">{t('notifications.form.recipient.constant', 'A fixed phone number')}</SingleSelectOption>
                    </SingleSelect>
                  </Field.Root>
                </Item>
                <Item>
                  <Field.Root name="recipient" error={errors.recipient} required width="100%" hint={values.recipientFrom === 'constant' ? t('notifications.form.recipient.phoneHint', 'International format, e.g. +15550001111.') : undefined}>
                    <Field.Label>{t('notifications.form.recipient', 'Recipient')}</Field.Label>
                    {values.recipientFrom === 'field' ? (
                      <PathSelect value={values.recipient} paths={phonePaths} onChange={(v) => set('recipient', v)} placeholder={t('notifications.form.recipient.placeholder', 'Choose the phone field')} />
                    ) : (
                      <Field.Input type="tel" value={values.recipient} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('recipient', e.target.value)} placeholder="+15550001111" />
                    )}
                    <Field.Hint />
                    <Field.Error />
                  </Field.Root>
                </Item>
                <Item>
                  <Field.Root name="active" width="100%" hint={t('notifications.form.active.hint', 'Inactive rules keep their firings but send nothing.')}>
                    <Field.Label>{t('notifications.form.active', 'Active')}</Field.Label>
                    <Toggle
                      checked={values.active}
                      onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('active', e.target.checked)}
                      onLabel={t('notifications.active.on', 'Active')}
                      offLabel={t('notifications.active.off', 'Inactive')}
                    />
                    <Field.Hint />
                  </Field.Root>
                </Item>
              </Grid.Root>
            </Flex>
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary" type="button" disabled={submitting}>
                {t('notifications.form.cancel', 'Cancel')}
              </Button>
            </Modal.Close>
            <Button type="submit" loading={submitting}>
              {t('notifications.form.submit', 'Save')}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};

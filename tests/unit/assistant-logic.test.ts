import { chunkText } from '../../server/assistant/chunk';
import { toWhatsApp } from '../../server/assistant/format';
import { ungroundedFigures } from '../../server/assistant/grounding';
import { buildIndex, confidenceOf } from '../../server/assistant/knowledge-index';
import { redact } from '../../server/assistant/redact';

test('Markdown is cut into sections under their headings', () => {
  const chunks = chunkText('Intro line\n\n# Opening hours\nWe open 9:00 to 17:00.\n\n## Returns\nWithin 30 days.\n');
  expect(chunks).toEqual([
    { heading: null, text: 'Intro line' },
    { heading: 'Opening hours', text: 'We open 9:00 to 17:00.' },
    { heading: 'Returns', text: 'Within 30 days.' },
  ]);
  const long = chunkText(`# Big\n${'word '.repeat(600)}`, 1000);
  expect(long.length).toBeGreaterThan(2);
  expect(long.every((c) => c.heading === 'Big' && c.text.length <= 1000)).toBe(true);
});

test('figures must come from the context: prices, dates and times', () => {
  const sources = ['The Basic plan costs €1,200.00 a year; renewals are due 2026-03-01 at 9:00.'];
  expect(ungroundedFigures('Basic is €1200 a year, due on 2026-03-01 from 9 am.', sources)).toEqual([]);
  expect(ungroundedFigures('Basic is €999 a year.', sources)).toEqual(['999']);
  expect(ungroundedFigures('No figures here.', [])).toEqual([]);
});

test('phones and e-mails are redacted, dates and prices kept', () => {
  expect(redact('Call +1 (555) 010-9999 or write to ana@example.com by 2026-03-01, €49.90')).toBe('Call [phone] or write to [email] by 2026-03-01, €49.90');
});

test('WhatsApp formatting and its length limit', () => {
  expect(toWhatsApp('## Hours\n**Open** daily, see [the page](https://example.com/h)')).toBe('*Hours*\n*Open* daily, see the page https://example.com/h');
  const long = toWhatsApp('word '.repeat(2000));
  expect(long.length).toBeLessThanOrEqual(4096);
  expect(long.endsWith('…')).toBe(true);
});

test('the index ranks the section that answers, with a confidence from its coverage', () => {
  const index = buildIndex([
    { id: 1, sourceId: 1, title: 'FAQ', heading: 'Opening hours', text: 'We are open Monday to Friday, 9:00 to 17:00.' },
    { id: 2, sourceId: 1, title: 'FAQ', heading: 'Refunds', text: 'Refunds are paid within 14 days of the return.' },
  ]);
  const hits = index.query('When are you open on Monday?', 3);
  expect(hits[0]).toMatchObject({ id: 1, heading: 'Opening hours' });
  expect(confidenceOf(hits)).toBeGreaterThan(0.5);
  expect(index.query('the and of', 3)).toEqual([]);
  expect(confidenceOf(index.query('refund weather penguins', 3))).toBeLessThan(confidenceOf(index.query('refunds paid', 3)));
});

import { parameterSchemaOf } from '../../server/template-schema';
import { assertTemplateParams, templateText } from '../../server/template-params';
import { fieldsOf, isComplete, previewOf, previewText, toParams, valuesFromParams } from '../../admin/components/inbox/composer/templateValues';
import { insertReply, matchReplies, slashQuery } from '../../admin/components/inbox/composer/quickReplyText';
import { mediaTypeOf } from '../../admin/components/inbox/composer/upload';

const positional = (() => {
  const components = [
    { type: 'HEADER', format: 'IMAGE' },
    { type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped.' },
    { type: 'FOOTER', text: 'Example Shop' },
    { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://shop.test/track/{{1}}' }, { type: 'QUICK_REPLY', text: 'Thanks' }] },
  ];
  return { components, parameterSchema: parameterSchemaOf(components), parameterFormat: 'positional' as const };
})();

const named = (() => {
  const components = [
    { type: 'HEADER', format: 'TEXT', text: 'Hello {{customer_name}}' },
    { type: 'BODY', text: 'Welcome to {{shop}}, {{customer_name}}!' },
  ];
  return { components, parameterSchema: parameterSchemaOf(components), parameterFormat: 'named' as const };
})();

describe('template values', () => {
  test('fields follow the schema: media header, body placeholders, button variables', () => {
    expect(fieldsOf(positional.parameterSchema).map((f) => f.key)).toEqual(['header:media', 'body:1', 'body:2', 'button:0:1']);
    expect(fieldsOf(named.parameterSchema).map((f) => f.key)).toEqual(['header:customer_name', 'body:shop', 'body:customer_name']);
  });

  test('filled-in values make params the server accepts; missing ones are incomplete', () => {
    const values = { 'header:media': 'https://cdn.test/p.png', 'body:1': 'Bob', 'body:2': 'A-1', 'button:0:1': 'A-1' };
    expect(isComplete(positional.parameterSchema, { ...values, 'body:2': ' ' })).toBe(false);
    expect(isComplete(positional.parameterSchema, values)).toBe(true);
    const params = toParams(positional, values);
    expect(params).toEqual({
      header: [{ type: 'image', link: 'https://cdn.test/p.png' }],
      body: [{ type: 'text', text: 'Bob' }, { type: 'text', text: 'A-1' }],
      buttons: [{ index: 0, subType: 'url', params: [{ type: 'text', text: 'A-1' }] }],
    });
    expect(() => assertTemplateParams(positional.parameterSchema, 'positional', params)).not.toThrow();

    const namedParams = toParams(named, { 'header:customer_name': 'Carol', 'body:shop': 'Example Shop', 'body:customer_name': 'Carol' });
    expect(namedParams.body).toEqual([{ type: 'text', text: 'Example Shop', name: 'shop' }, { type: 'text', text: 'Carol', name: 'customer_name' }]);
    expect(() => assertTemplateParams(named.parameterSchema, 'named', namedParams)).not.toThrow();
  });

  test('the preview fills what is typed and keeps the placeholders still empty', () => {
    const preview = previewOf(positional, { 'body:1': 'Bob' });
    expect(preview).toMatchObject({ headerMedia: 'image', body: 'Hi Bob, your order {{2}} has shipped.', footer: 'Example Shop', buttons: ['Track', 'Thanks'] });
    expect(previewText(previewOf(named, { 'header:customer_name': 'Carol', 'body:shop': 'Shop' }))).toBe('Hello Carol\n\nWelcome to Shop, {{customer_name}}!');
  });

  test('a stored template message gives back its values (for the thread)', () => {
    const values = { 'body:shop': 'Example Shop', 'body:customer_name': 'Carol', 'header:customer_name': 'Carol' };
    expect(valuesFromParams(named, toParams(named, values))).toEqual(values);
    expect(valuesFromParams(positional, { body: [{ type: 'text', text: 'Bob' }, { type: 'text', text: 'A-1' }] })).toEqual({ 'body:1': 'Bob', 'body:2': 'A-1' });
  });
});

describe('quick replies by /', () => {
  const replies = [
    { id: 1, name: 'thanks', text: 'Thanks for your patience!' },
    { id: 2, name: 'hours', text: 'We are open 9 to 5, thanks!' },
    { id: 3, name: 'address', text: '1 Main St' },
  ];
  test('a slash at the start or after a space opens suggestions; elsewhere it does not', () => {
    expect(slashQuery('/tha')).toBe('tha');
    expect(slashQuery('Hello /')).toBe('');
    expect(slashQuery('and/or')).toBeNull();
    expect(slashQuery('/tha and more')).toBeNull();
  });
  test('names starting with the query first, then names or texts containing it', () => {
    expect(matchReplies(replies, 'tha').map((r) => r.name)).toEqual(['thanks', 'hours']);
    expect(matchReplies(replies, '').map((r) => r.name)).toEqual(['thanks', 'hours', 'address']);
  });
  test('inserting replaces only the /query', () => {
    expect(insertReply('Hello /tha', replies[0])).toBe('Hello Thanks for your patience!');
    expect(insertReply('/tha', replies[0])).toBe('Thanks for your patience!');
  });
});

test('files go as image, video or audio only where WhatsApp shows them inline; anything else is a document', () => {
  expect(['image/jpeg', 'image/png', 'image/gif', 'video/mp4', 'audio/ogg; codecs=opus', 'application/pdf'].map(mediaTypeOf)).toEqual(['image', 'image', 'document', 'video', 'audio', 'document']);
});

test('the server keeps the text the customer reads for a template: the same as the composer’s preview', () => {
  const values = { 'header:customer_name': 'Carol', 'body:shop': 'Example Shop', 'body:customer_name': 'Carol' };
  expect(templateText(named.components, 'named', toParams(named, values))).toBe(previewText(previewOf(named, values)));
  expect(templateText(named.components, 'named', toParams(named, values))).toBe('Hello Carol\n\nWelcome to Example Shop, Carol!');
  const positionalValues = { 'header:media': 'https://cdn.test/p.png', 'body:1': 'Bob', 'body:2': 'A-1', 'button:0:1': 'A-1' };
  expect(templateText(positional.components, 'positional', toParams(positional, positionalValues))).toBe('Hi Bob, your order A-1 has shipped.\n\nExample Shop');
  expect(templateText([{ type: 'BODY', text: 'Total {{1}} due {{2}}' }], 'positional', { body: [{ type: 'currency', fallback: '$10', code: 'USD', amount1000: 10000 }, { type: 'date_time', fallback: 'May 1' }] })).toBe('Total $10 due May 1');
});
